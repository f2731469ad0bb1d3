"""Changing a password, and setting a new one through an e-mailed link (real loopback SMTP)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.test import Client
from django.urls import reverse

from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

LOGIN = reverse("login")
CHANGE = reverse("password_change")
FORGOTTEN = reverse("password_reset")


def log_in(client, password, email="alice@example.org"):
    client.post(LOGIN, {"username": email, "password": password})
    return "_auth_user_id" in client.session


def reset_link(smtp, message):
    text = smtp.text(message)
    url = next(word for word in text.split() if "/accounts/password/reset/" in word)
    assert url.startswith("https://stretch.example.org/accounts/password/reset/")
    return urlparse(url).path


def test_the_profile_page_links_to_changing_the_password(client, patient):
    client.force_login(patient)
    assert f'href="{CHANGE}"' in client.get(reverse("accounts:profile")).content.decode()


def test_changing_the_password_needs_the_current_one(client, patient):
    client.force_login(patient)
    refused = client.post(
        CHANGE,
        {
            "old_password": "not-it",
            "new_password1": "evening-walk-twice",
            "new_password2": "evening-walk-twice",
        },
    )
    assert refused.status_code == 200
    assert "That is not your current password. Type it again." in refused.content.decode()
    patient.refresh_from_db()
    assert patient.check_password("alice-password-1")


def test_wrong_current_passwords_on_the_change_form_count_towards_the_lock_out(client, patient):
    client.force_login(patient)
    for attempt in range(5):
        client.post(CHANGE, {"old_password": f"guess-{attempt}"})
    locked = client.post(
        CHANGE,
        {
            "old_password": "alice-password-1",
            "new_password1": "evening-walk-twice",
            "new_password2": "evening-walk-twice",
        },
    )
    assert locked.status_code == 429
    assert "Too many tries" in locked.content.decode()
    patient.refresh_from_db()
    assert patient.check_password("alice-password-1")


def test_changing_the_password_keeps_this_session_and_the_old_one_stops_working(client, patient):
    client.force_login(patient)
    changed = client.post(
        CHANGE,
        {
            "old_password": "alice-password-1",
            "new_password1": "evening-walk-twice",
            "new_password2": "evening-walk-twice",
        },
        follow=True,
    )
    assert changed.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Your password is changed." in changed.content.decode()
    assert "_auth_user_id" in client.session  # still logged in here
    assert not log_in(Client(), "alice-password-1")
    assert log_in(Client(), "evening-walk-twice")


def test_changing_to_two_different_or_weak_passwords_says_why(client, patient):
    client.force_login(patient)
    page = client.post(
        CHANGE,
        {
            "old_password": "alice-password-1",
            "new_password1": "evening-walk-twice",
            "new_password2": "evening-walk-thrice",
        },
    ).content.decode()
    assert "The two passwords are not the same." in page
    page = client.post(
        CHANGE,
        {"old_password": "alice-password-1", "new_password1": "1234", "new_password2": "1234"},
    ).content.decode()
    assert "This password is too short" in page


def test_changing_the_password_needs_a_login(client, db):
    assert client.get(CHANGE).url.startswith(LOGIN)


def test_the_forgotten_password_form_answers_the_same_whether_or_not_there_is_an_account(
    client, patient, smtp
):
    known = client.post(FORGOTTEN, {"email": "alice@example.org"}, follow=True)
    unknown = client.post(FORGOTTEN, {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode() == unknown.content.decode()
    assert "If that address has a Backstretch account" in known.content.decode()
    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.org"
    assert len(smtp.messages) == 1  # nothing to the address without an account


def test_a_reset_link_sets_a_new_password_once_and_the_old_one_stops_working(client, patient, smtp):
    client.post(FORGOTTEN, {"email": "Alice@Example.org"})
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Choose a new password for Backstretch"
    assert "works once" in smtp.text(message)
    link = reset_link(smtp, message)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "evening-walk-twice", "new_password2": "evening-walk-twice"},
        follow=True,
    )
    assert "New password saved" in done.content.decode()
    assert not log_in(Client(), "alice-password-1")
    assert log_in(Client(), "evening-walk-twice")
    used = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in used


def test_a_reset_lifts_a_lock_out_and_confirms_the_address(client, patient, smtp):
    patient.email_verified = False
    patient.save(update_fields=["email_verified"])
    for attempt in range(6):
        log_in(client, f"guess-{attempt}")
    assert client.post(LOGIN, {"username": "alice@example.org", "password": "x"}).status_code == 429
    client.post(FORGOTTEN, {"email": "alice@example.org"})
    [message] = smtp.wait_for(1)
    form = client.get(reset_link(smtp, message), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "evening-walk-twice", "new_password2": "evening-walk-twice"},
    )
    assert log_in(client, "evening-walk-twice")
    patient.refresh_from_db()
    assert patient.email_verified
