"""Two-step sign-in: clinic staff must pass it before any clinic page; patients may turn it on.

These tests log in through the log-in page (password, then code), as a person does; the codes
are computed from the device's secret with django-otp's TOTP arithmetic (tests/cast.py).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch.accounts import twofactor
from backstretch.accounts.models import User
from tests.cast import cleared, code_now

LOGIN = reverse("login")
VERIFY = reverse("accounts:twofactor_verify")
SETUP = reverse("accounts:twofactor_setup")
CODES = reverse("accounts:recovery_codes")
CLINIC = reverse("clinic:dashboard")


def password_login(client, email, password):
    response = client.post(LOGIN, {"username": email, "password": password})
    assert response.status_code == 302, "the password is right"
    return response


def wrong_code(device):
    return f"{(int(code_now(device)) + 500_000) % 1_000_000:06d}"


@pytest.fixture
def bob_without_app(bob):
    TOTPDevice.objects.filter(user=bob).delete()
    return bob


def test_staff_without_an_app_are_sent_to_set_one_up_before_the_clinic(client, bob_without_app):
    password_login(client, "bob@example.org", "bob-password-1")
    response = client.get(CLINIC, follow=True)
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=%2Fclinic%2F"
    page = response.content.decode()
    assert "Set up two-step sign-in" in page
    assert "<svg" in page and 'class="qr"' in page
    assert " style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=bob_without_app, confirmed=False)
    assert secret == twofactor.secret_of(device)
    # The API says so too, rather than answering with patients.
    assert client.get("/api/v1/patients").status_code == 401


def test_setting_up_shows_ten_recovery_codes_once_then_opens_the_clinic(client, bob_without_app):
    password_login(client, "bob@example.org", "bob-password-1")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=bob_without_app)
    refused = client.post(SETUP, {"code": wrong_code(device), "next": CLINIC})
    assert refused.status_code == 422
    assert "That code does not match" in refused.content.decode()
    assert client.get(CLINIC).status_code == 302

    done = client.post(SETUP, {"code": code_now(device), "next": CLINIC})
    assert done.url == f"{CODES}?next=%2Fclinic%2F"
    page = client.get(done.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "This is the only time we show them." in page
    assert 'download="backstretch-recovery-codes.txt"' in page
    assert client.get(done.url).url == reverse("accounts:profile")  # not shown again
    assert client.get(CLINIC).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_staff_with_an_app_need_the_right_code_to_reach_the_clinic(client, bob):
    device = TOTPDevice.objects.get(user=bob)
    password_login(client, "bob@example.org", "bob-password-1")
    assert client.get(CLINIC).url == f"{VERIFY}?next=%2Fclinic%2F"
    patient_page = reverse("clinic:patient", args=[User.objects.get(email="alice@example.org").pk])
    assert client.get(patient_page).url.startswith(VERIFY)

    refused = client.post(VERIFY, {"code": wrong_code(device), "next": CLINIC})
    assert refused.status_code == 422
    assert "That code does not match" in refused.content.decode()
    assert client.get(CLINIC).status_code == 302

    used = code_now(device)
    passed = client.post(VERIFY, {"code": used, "next": CLINIC})
    assert passed.url == CLINIC
    assert client.get(CLINIC).status_code == 200
    # The same code cannot be used twice (a second session, the same six digits; asking the
    # app again could give the next period's code, when 30 s have just turned over).
    other = Client()
    password_login(other, "bob@example.org", "bob-password-1")
    assert other.post(VERIFY, {"code": used}).status_code == 422


def test_five_wrong_codes_lock_the_account_out_here(client, bob):
    device = TOTPDevice.objects.get(user=bob)
    password_login(client, "bob@example.org", "bob-password-1")
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 422
    fifth = client.post(VERIFY, {"code": wrong_code(device)})
    assert fifth.status_code == 429
    assert "Too many tries" in fifth.content.decode()
    right = client.post(VERIFY, {"code": code_now(device)})
    assert right.status_code == 429
    assert client.get(CLINIC).status_code == 302


def test_a_recovery_code_works_once(client, bob):
    codes = twofactor.new_recovery_codes(bob)
    password_login(client, "bob@example.org", "bob-password-1")
    typed = twofactor.shown_code(codes[3]).upper()  # as printed, in capitals: still accepted
    passed = client.post(VERIFY, {"code": typed, "next": CLINIC})
    assert passed.url == CLINIC
    assert "You used a recovery code" in client.get(CLINIC).content.decode()
    assert StaticToken.objects.filter(device__user=bob).count() == 9

    again = Client()
    password_login(again, "bob@example.org", "bob-password-1")
    assert again.post(VERIFY, {"code": typed}).status_code == 422
    assert again.get(CLINIC).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, bob):
    old = twofactor.new_recovery_codes(bob)
    client.force_login(bob)  # passed the second step (tests/cast.py)
    page = client.post(CODES).content.decode()
    assert "the ones you had before no longer work" in page
    new = [code.replace("-", "") for code in re.findall(r"<li><code>([a-z2-7-]+)</code>", page)]
    assert len(new) == 10 and not set(new) & set(old)

    other = Client()
    password_login(other, "bob@example.org", "bob-password-1")
    assert other.post(VERIFY, {"code": old[0]}).status_code == 422
    assert other.post(VERIFY, {"code": new[0], "next": CLINIC}).url == CLINIC


def test_a_session_that_skipped_the_code_cannot_reach_the_admin(client, db):
    User.objects.create_superuser("root@example.org", "root-password-1")
    password_login(client, "root@example.org", "root-password-1")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_a_patient_turns_two_step_sign_in_on_and_off(client, patient):
    cleared(patient)
    client.force_login(patient)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{SETUP}"' in profile
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=patient)
    assert client.post(SETUP, {"code": code_now(device)}).url == CODES
    assert "Two-step sign-in is on." in client.get(CODES).content.decode()

    # From now on her password alone is not enough.
    later = Client()
    password_login(later, "alice@example.org", "alice-password-1")
    today = reverse("practice:today")
    assert later.get(today).url == f"{VERIFY}?next=%2Ftoday%2F"
    assert later.post(VERIFY, {"code": code_now(device, 1), "next": today}).url == today

    off = reverse("accounts:twofactor_off")
    refused = later.post(off, {"password": "not-it"}, follow=True)
    assert "That one did not match" in refused.content.decode()
    assert twofactor.has_second_factor(patient)
    later.post(off, {"password": "alice-password-1"})
    assert not twofactor.has_second_factor(patient)

    third = Client()
    password_login(third, "alice@example.org", "alice-password-1")
    assert third.get(today).status_code == 200


def test_staff_cannot_turn_two_step_sign_in_off(client, bob):
    client.force_login(bob)
    response = client.post(reverse("accounts:twofactor_off"), {"password": "bob-password-1"})
    assert response.status_code == 404
    assert twofactor.has_second_factor(bob)
    assert (
        "Turn two-step sign-in off" not in client.get(reverse("accounts:profile")).content.decode()
    )
