"""The clinician's API: only their own clinics' patients, each look written to the audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from backstretch.accounts.tokens import create_token
from backstretch.clinic.models import AuditEvent
from tests.sessions import session_body

from .conftest import post_json

# "Practised today" must mean the routine's first day too, whatever hour the suite runs at: a
# session "a minute ago" just after midnight would fall on the day before the routine started.
pytestmark = pytest.mark.usefixtures("frozen_now")


def painful_sessions(api, patient):
    """Two sessions today after which pain was 4 points higher than before."""
    for _ in range(2):
        body = session_body(patient, pain_before=3, pain_after=7)
        assert post_json(api, "/api/v1/me/sessions", body).status_code == 201


def bearer(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user)[1]}")


def test_a_clinician_sees_only_their_own_clinics_patients(bob, eve, patient, other_patient, api):
    painful_sessions(api, patient)
    listing = bearer(bob).get("/api/v1/patients").json()
    assert [p["email"] for p in listing] == [patient.email]  # not Charlie (self-guided)
    alice = listing[0]
    assert alice["clinic"]["name"] == "Northside"
    assert alice["last_session"] is not None and alice["adherence_7"] is not None
    # 3 → 7 twice: a jump that asks the red-flag questions again, and pain rising after sessions.
    assert alice["reasons"] == ["recheck", "pain_jump", "pain_rose"]
    assert bearer(eve).get("/api/v1/patients").json() == []


def test_sessions_and_adherence_of_a_patient(bob, patient, api):
    painful_sessions(api, patient)
    client = bearer(bob)
    sessions = client.get(f"/api/v1/patients/{patient.pk}/sessions").json()
    assert sessions["count"] == 2
    assert (sessions["items"][0]["pain_before"], sessions["items"][0]["pain_after"]) == (3, 7)
    adherence = client.get(f"/api/v1/patients/{patient.pk}/adherence").json()
    assert adherence["patient_id"] == patient.pk
    assert adherence["adherence_7"] == 100  # practised today, which closes the window
    assert "pain_rose" in adherence["reasons"]
    assert AuditEvent.objects.filter(actor=bob, patient=patient).count() == 2


@pytest.mark.parametrize("what", ["sessions", "adherence"])
def test_another_clinics_patient_or_a_missing_one_is_a_404(bob, eve, patient, other_patient, what):
    for client, patient_id in [
        (bearer(eve), patient.pk),  # Alice is Northside's
        (bearer(bob), other_patient.pk),  # Charlie is nobody's
        (bearer(bob), 10**9),
    ]:
        response = client.get(f"/api/v1/patients/{patient_id}/{what}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such patient."}
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_patient_is_not_a_clinician(bob, api):
    response = api.get("/api/v1/patients")
    assert response.status_code == 403
    assert "clinicians" in response.json()["detail"]
