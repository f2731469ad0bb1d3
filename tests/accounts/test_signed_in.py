"""Who is signed in: loaded with their patient profile and their clinic membership in one
query (backstretch/core/backends.py), with the same answers Django's own backend gave."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backstretch.accounts.models import User
from backstretch.clinic.models import Membership
from tests.cast import cleared, pass_second_step

LOGIN = reverse("login")
TODAY = reverse("practice:today")
CLINIC = reverse("clinic:dashboard")


def log_in(client, user, password):
    """Through the log-in form (and the second step, for staff with an authenticator app)."""
    response = client.post(LOGIN, {"username": user.email, "password": password})
    assert response.status_code == 302, response.content
    pass_second_step(client, user)


def reads_of(queries, table):
    return [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]


def test_a_patient_page_loads_the_person_their_profile_and_clinic_in_one_query(client, patient):
    log_in(client, cleared(patient), "alice-password-1")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(TODAY)
    assert page.status_code == 200
    assert page.wsgi_request.user == patient
    users = reads_of(queries, "accounts_user")
    assert len(users) == 1, users
    # Neither the profile nor the clinic membership is asked for again on its own.
    assert "JOIN accounts_patientprofile" in users[0] and "FROM clinic_membership" in users[0]
    assert reads_of(queries, "accounts_patientprofile") == []
    assert reads_of(queries, "clinic_membership") == users


def test_logging_in_names_the_one_query_backend_in_the_session(client, patient):
    log_in(client, cleared(patient), "alice-password-1")
    assert client.session["_auth_user_backend"] == "backstretch.core.backends.SignedInBackend"


def test_a_session_begun_under_djangos_own_backend_still_loads(client, patient):
    """Sessions stored before this backend existed name Django's ModelBackend: nobody is
    signed out by the upgrade."""
    client.force_login(cleared(patient), backend="django.contrib.auth.backends.ModelBackend")
    assert client.session["_auth_user_backend"].endswith("ModelBackend")
    page = client.get(TODAY)
    assert page.status_code == 200
    assert page.wsgi_request.user == patient


def test_a_clinician_finds_the_clinic_in_the_menu_and_a_patient_does_not(client, bob, patient):
    log_in(client, bob, "bob-password-1")
    assert f'href="{CLINIC}"' in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("logout"))
    log_in(client, cleared(patient), "alice-password-1")
    assert f'href="{CLINIC}"' not in client.get(TODAY).content.decode()


def test_a_membership_ended_shows_from_the_next_page(client, bob, northside):
    log_in(client, bob, "bob-password-1")
    assert client.get(CLINIC).status_code == 200
    Membership.objects.filter(user=bob).delete()
    assert f'href="{CLINIC}"' not in client.get(reverse("accounts:profile")).content.decode()


def test_a_deactivated_person_is_signed_out_at_their_next_page(client, patient):
    log_in(client, cleared(patient), "alice-password-1")
    User.objects.filter(pk=patient.pk).update(is_active=False)
    response = client.get(TODAY)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_wrong_password_is_checked_once_and_still_counts(client, patient, monkeypatch):
    """The backend stops the log-in after a wrong password, so the ModelBackend listed after
    it (for older sessions) does not hash the same password a second time."""
    checked = []
    original = ModelBackend.authenticate

    def counting(self, *args, **kwargs):
        checked.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    page = client.post(LOGIN, {"username": "alice@example.org", "password": "wrong-password"})
    assert "do not match an account" in page.content.decode()
    assert checked == ["SignedInBackend"]
    for _ in range(5):
        client.post(LOGIN, {"username": "alice@example.org", "password": "wrong-password"})
    refused = client.post(LOGIN, {"username": "alice@example.org", "password": "alice-password-1"})
    assert refused.status_code == 429  # locked out: the wrong tries were counted
    assert "_auth_user_id" not in client.session
