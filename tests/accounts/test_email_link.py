"""Signing in by an e-mailed link (real loopback SMTP), and the limits on anonymous requests
that send e-mail (sign-up, password reset, sign-in links)."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from django.core import signing
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch.accounts import limits
from backstretch.accounts.emaillink import link_token
from backstretch.accounts.models import User
from tests.accounts.test_signup import form_data
from tests.cast import cleared, code_now, give_second_factor
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

ASK = reverse("accounts:email_link")
SENT = reverse("accounts:email_link_sent")
TODAY = reverse("practice:today")


def link_in(smtp, message):
    url = next(word for word in smtp.text(message).split() if "/accounts/link/" in word)
    assert url.startswith("https://stretch.example.org/accounts/link/")
    return urlparse(url).path


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_log_in_page_offers_a_link(client, db):
    assert f'href="{ASK}"' in client.get(reverse("login")).content.decode()


def test_a_patient_signs_in_once_with_the_mailed_link(client, patient, smtp):
    cleared(patient)
    response = client.post(ASK, {"email": "Alice@Example.org"})
    assert response.url == SENT
    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.org"
    assert "15 minutes" in smtp.text(message)
    link = link_in(smtp, message)

    page = client.get(link)  # opening the link alone signs nobody in (mail scanners open links)
    assert "alice@example.org" in page.content.decode()
    assert not signed_in(client)
    assert client.post(link).url == "/"
    assert signed_in(client)
    assert client.get(TODAY).status_code == 200

    again = Client().get(link)
    assert again.status_code == 410
    assert "This link was used already" in again.content.decode()
    assert f'href="{ASK}"' in again.content.decode()
    assert Client().post(link).status_code == 410


def test_an_expired_link_says_so_and_offers_a_new_one(client, patient, monkeypatch):
    sixteen_minutes_ago = int(time.time()) - 16 * 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(sixteen_minutes_ago)
    )
    link = reverse("accounts:email_link_use", args=[link_token(patient)])
    monkeypatch.undo()
    response = client.post(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not signed_in(client)


def test_the_answer_is_the_same_for_unknown_addresses_and_staff(client, patient, bob, smtp):
    pages = []
    for email in ("nobody@example.org", "bob@example.org", "alice@example.org"):
        response = client.post(ASK, {"email": email}, follow=True)
        pages.append(response.content.decode().replace(email, ""))
    assert pages[0] == pages[1] == pages[2]
    assert "If a patient's account has that address" in pages[0]
    messages = smtp.wait_for(1)
    assert [m["To"] for m in messages] == ["alice@example.org"]  # staff get no link


def test_a_link_does_not_skip_a_patients_second_step(client, patient):
    cleared(patient)
    device = give_second_factor(patient)
    link = reverse("accounts:email_link_use", args=[link_token(patient)])
    client.post(link)
    assert client.get(TODAY).url.startswith(reverse("accounts:twofactor_verify"))
    verify = reverse("accounts:twofactor_verify")
    assert client.post(verify, {"code": code_now(device), "next": TODAY}).url == TODAY
    assert TOTPDevice.objects.filter(user=patient).count() == 1


def test_a_link_made_for_staff_does_not_sign_them_in(client, bob):
    response = client.post(reverse("accounts:email_link_use", args=[link_token(bob)]))
    assert response.status_code == 404
    assert not signed_in(client)


def test_a_bad_email_is_named(client, db):
    response = client.post(ASK, {"email": "not an address"})
    assert "Enter an e-mail address like name@example.com." in response.content.decode()


# --- Limits on anonymous requests -------------------------------------------------------------


def test_five_links_an_hour_for_one_address_then_a_wait(client, patient, smtp, monkeypatch):
    # Ten minutes into a clock hour, so the six requests share one window whenever the suite runs.
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_000 // 3600 * 3600 + 600.0)
    for _ in range(5):
        assert client.post(ASK, {"email": "alice@example.org"}).url == SENT
    refused = client.post(ASK, {"email": "alice@example.org"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many requests" in page
    assert "Try again in 50 minutes" in page
    assert refused["Retry-After"] == "3000"
    assert len(smtp.wait_for(5)) == 5
    # Another address from the same client still gets its answer.
    assert client.post(ASK, {"email": "someone@example.org"}).url == SENT


def test_one_client_is_limited_across_addresses(client, db, settings):
    settings.BACKSTRETCH_ANONYMOUS_PER_IP_HOUR = 3
    for number in range(3):
        assert client.post(ASK, {"email": f"person{number}@example.org"}).url == SENT
    assert client.post(ASK, {"email": "person9@example.org"}).status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(ASK, {"email": "person9@example.org"}).url == SENT


def test_password_reset_requests_are_limited(client, patient, smtp):
    reset = reverse("password_reset")
    for _ in range(5):
        assert client.post(reset, {"email": "alice@example.org"}).status_code == 302
    refused = client.post(reset, {"email": "alice@example.org"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert len(smtp.wait_for(5)) == 5


def test_sign_ups_are_limited(db, settings, smtp):
    settings.BACKSTRETCH_ANONYMOUS_PER_IP_HOUR = 2
    signup = reverse("accounts:signup")
    for number in range(2):
        answer = Client().post(signup, form_data(email=f"new{number}@example.org"))
        assert answer.url == reverse("safety:screen")
    refused = Client().post(signup, form_data(email="new9@example.org"))
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert not User.objects.filter(email="new9@example.org").exists()
