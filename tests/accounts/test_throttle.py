"""Guessing passwords and tokens: django-axes counts failed log-ins per (address, client) pair
on the log-in page, /admin/ and the API, and refuses the pair for a cool-off after 5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backstretch.accounts.models import ApiToken
from backstretch.accounts.tokens import create_token
from tests.cast import cleared

LOGIN = reverse("login")
TODAY = "/api/v1/me/today"


def try_password(client, password, email="alice@example.org", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(client, patient):
    for attempt in range(40):
        try_password(client, f"guess-{attempt}")
    answer = try_password(client, "alice-password-1")
    assert not signed_in(client)
    assert answer.status_code == 429
    page = answer.content.decode()
    assert "Too many tries" in page
    assert "Wait 15 minutes, then try again." in page
    assert f'href="{reverse("password_reset")}"' in page
    assert answer["Retry-After"] == "900"


def test_four_wrong_passwords_still_let_the_right_one_in_and_start_the_count_again(client, patient):
    for attempt in range(4):
        assert "do not match an account" in try_password(client, f"g{attempt}").content.decode()
    try_password(client, "alice-password-1")
    assert signed_in(client)
    client.post(reverse("logout"))
    for attempt in range(4):  # a success forgets the earlier failures
        try_password(client, f"h{attempt}")
    try_password(client, "alice-password-1")
    assert signed_in(client)


def test_the_lock_is_for_that_address_from_that_client_and_capitals_do_not_dodge_it(
    client, patient, other_patient
):
    for attempt in range(5):
        try_password(client, f"guess-{attempt}", email="ALICE@example.org ")
    assert try_password(client, "alice-password-1").status_code == 429
    assert not signed_in(client)
    # Charlie, from the same client, is not locked out by the guesses at Alice's password.
    other = try_password(Client(), "charlie-password-1", email="charlie@example.org")
    assert other.status_code == 302
    # Alice herself, from her own phone (another address), still logs in.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    try_password(elsewhere, "alice-password-1")
    assert signed_in(elsewhere)


def test_a_made_up_forwarded_for_header_does_not_dodge_the_lock(client, patient):
    for attempt in range(6):
        try_password(client, f"g{attempt}", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    try_password(client, "alice-password-1", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert not signed_in(client)


def test_behind_a_trusted_proxy_each_visitor_is_counted_on_their_own(client, patient, settings):
    settings.BACKSTRETCH_TRUSTED_PROXIES = 1
    for attempt in range(5):
        try_password(client, f"g{attempt}", HTTP_X_FORWARDED_FOR="198.51.100.7")
    # Spoofed addresses to the left of what the proxy appended change nothing.
    locked = try_password(client, "alice-password-1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert locked.status_code == 429
    try_password(client, "alice-password-1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert signed_in(client)


def test_the_lock_ends_after_the_cool_off(client, patient):
    for attempt in range(5):
        try_password(client, f"guess-{attempt}")
    assert try_password(client, "alice-password-1").status_code == 429
    # 16 minutes go by: the stored failures (the clock django-axes reads) move back.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    try_password(client, "alice-password-1")
    assert signed_in(client)


@pytest.mark.django_db
def test_the_admin_log_in_is_counted_too(client, django_user_model):
    django_user_model.objects.create_superuser("root@example.org", "root-password-1")
    admin_login = reverse("admin:login")
    for attempt in range(40):
        client.post(admin_login, {"username": "root@example.org", "password": f"x{attempt}"})
    answer = client.post(
        admin_login, {"username": "root@example.org", "password": "root-password-1"}
    )
    assert answer.status_code == 429
    assert "Too many tries" in answer.content.decode()
    assert not signed_in(client)


def test_wrong_api_tokens_are_refused_then_locked_out_with_json(patient):
    secret = create_token(cleared(patient))[1]
    guesser = Client()
    for attempt in range(4):
        wrong = guesser.get(TODAY, HTTP_AUTHORIZATION=f"Bearer bks_guess{attempt}")
        assert wrong.status_code == 401
    fifth = guesser.get(TODAY, HTTP_AUTHORIZATION="Bearer bks_guess5")
    assert fifth.status_code == 429
    assert fifth["Content-Type"].startswith("application/json")
    assert "Wait 15 minutes" in fifth.json()["detail"]
    assert guesser.get(TODAY, HTTP_AUTHORIZATION="Bearer bks_guess6").status_code == 429
    # A right token cannot be guessed: it still works, from that client and from others.
    assert guesser.get(TODAY, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.get(TODAY, HTTP_AUTHORIZATION="Bearer bks_guess7").status_code == 401


def test_an_expired_token_is_refused_with_a_message_that_says_so(patient):
    secret = create_token(patient)[1]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    answer = Client().get(TODAY, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    detail = answer.json()["detail"]
    assert detail.startswith(f"This API token expired on {timezone.now().date().isoformat()}")
    assert "Make a new one on your profile page" in detail


def test_the_api_document_lists_the_lock_out_for_every_operation(client, db):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"
