"""API tokens and the browser session: who gets in, and writes need CSRF with a cookie only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backstretch.accounts.models import ApiToken
from backstretch.practice.models import PracticeSession
from tests.sessions import session_body

from .conftest import post_json

TODAY = "/api/v1/me/today"
SESSIONS = "/api/v1/me/sessions"


def test_cli_token_works_and_only_its_hash_is_stored(patient):
    out, err = StringIO(), StringIO()
    call_command("token", "create", "ALICE@example.org", "--name", "laptop", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert secret.startswith("bks_") and len(secret) > 40
    assert "shown only now" in err.getvalue()
    stored = ApiToken.objects.get()
    assert secret not in (stored.digest, stored.prefix) and secret.startswith(stored.prefix)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(TODAY)
    assert response.status_code == 200
    assert response.json()["routine"]["name"]
    ApiToken.objects.update(last_used_at=None)
    client.get(TODAY)
    assert ApiToken.objects.get().last_used_at is not None

    listing = StringIO()
    call_command("token", "list", patient.email, stdout=listing)
    assert stored.prefix in listing.getvalue() and "laptop" in listing.getvalue()
    call_command("token", "revoke", patient.email, stored.prefix, stdout=StringIO())
    assert client.get(TODAY).status_code == 401


def test_cli_names_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("token", "create", "nobody@example.org", stdout=StringIO())


@pytest.mark.parametrize("header", ["Bearer bks_wrong", "Bearer ", "Bearer " + "x" * 5000])
def test_a_wrong_token_is_a_401_in_json(patient, header):
    response = Client(HTTP_AUTHORIZATION=header).get(TODAY)
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_bearer_writes_need_no_csrf_and_are_marked_as_api(api, patient):
    response = post_json(api, SESSIONS, session_body(patient))
    assert response.status_code == 201, response.content
    assert PracticeSession.objects.get().source == "api"


def test_a_bearer_write_reads_its_token_and_profile_in_one_query(api, patient):
    """The limit on writes (before the view) and the API's authentication share one look-up of
    the token, its owner and the owner's patient profile: each stored session used to read the
    token twice and the profile once more (issue 17)."""
    with CaptureQueriesContext(connection) as queries:
        response = post_json(api, SESSIONS, session_body(patient))
    assert response.status_code == 201, response.content
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    assert len([sql for sql in reads if "accounts_apitoken" in sql]) == 1
    assert not [
        sql
        for sql in reads
        if "accounts_patientprofile" in sql.split("WHERE")[0] and "accounts_apitoken" not in sql
    ]


def test_browser_session_writes_need_the_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert client.get(TODAY).status_code == 200  # reads need no token
    refused = post_json(client, SESSIONS, session_body(patient))
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not PracticeSession.objects.exists()
    client.get("/accounts/profile/")  # any page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = post_json(client, SESSIONS, session_body(patient), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
    assert PracticeSession.objects.get().source == "web"


def test_profile_page_makes_shows_once_and_revokes_tokens(client, patient, other_patient):
    client.force_login(patient)
    made = client.post("/accounts/profile/", {"name": "my phone", "password": "alice-password-1"})
    secret = made.context["new_secret"]
    assert secret in made.content.decode()
    assert made["Cache-Control"] == "no-store"
    page = client.get("/accounts/profile/").content.decode()
    assert secret not in page  # shown once only
    assert secret[:10] in page and "my phone" in page and "never used" in page
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(TODAY).status_code == 200
    assert "last used" in client.get("/accounts/profile/").content.decode()

    token = ApiToken.objects.get()
    charlie = Client()
    charlie.force_login(other_patient)
    assert charlie.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert api.get(TODAY).status_code == 200
    revoked = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True)
    assert "Token revoked" in revoked.content.decode()
    assert api.get(TODAY).status_code == 401
    assert secret[:10] not in client.get("/accounts/profile/").content.decode()


def test_profile_refuses_a_too_long_label(client, patient):
    client.force_login(patient)
    response = client.post("/accounts/profile/", {"name": "x" * 61, "password": "alice-password-1"})
    assert response.status_code == 422
    assert "60 characters" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_last_used_is_written_at_most_every_five_minutes(api, patient):
    from datetime import timedelta

    from django.utils import timezone

    recent = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.update(last_used_at=recent)
    assert api.get(TODAY).status_code == 200
    assert ApiToken.objects.get().last_used_at == recent  # a read stays a read
    old = timezone.now() - timedelta(minutes=10)
    ApiToken.objects.update(last_used_at=old)
    assert api.get(TODAY).status_code == 200
    assert ApiToken.objects.get().last_used_at > recent


def test_a_deactivated_persons_token_no_longer_works(api, patient):
    assert api.get(TODAY).status_code == 200
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert api.get(TODAY).status_code == 401


def test_a_token_is_made_only_with_the_password_typed_again(client, patient):
    client.force_login(patient)
    for password, message in [
        ("", "Type your password to make a token."),
        ("nope", "That is not your password."),
    ]:
        refused = client.post("/accounts/profile/", {"name": "laptop", "password": password})
        assert refused.status_code == 422
        assert message in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_wrong_passwords_on_the_token_form_count_towards_the_lock_out(client, patient):
    client.force_login(patient)
    for attempt in range(5):
        client.post("/accounts/profile/", {"password": f"guess-{attempt}"})
    locked = client.post("/accounts/profile/", {"password": "alice-password-1"})
    assert locked.status_code == 429
    assert not ApiToken.objects.exists()


def test_the_profile_says_when_each_token_stops_working(client, patient, frozen_now):
    client.force_login(patient)
    page = client.post("/accounts/profile/", {"password": "alice-password-1"}).content.decode()
    assert "A token stops working 90 days after you make it." in page
    assert "works until 16 Feb 2027" in page  # 90 days after 18 Nov 2026
    ApiToken.objects.update(expires_at=frozen_now)
    assert "expired 18 Nov 2026" in client.get("/accounts/profile/").content.decode()
