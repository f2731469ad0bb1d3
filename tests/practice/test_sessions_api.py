import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client

from backstretch.practice.models import HurtReport, PracticeSession
from tests.cast import make_patient
from tests.sessions import SESSIONS_URL as URL
from tests.sessions import hurt_report, post_session, session_body

# Steps as the player sends them (intro, holds with their exercise, side and repetition) and
# one "this hurts" report.
PLAYER_UPLOAD = {
    "pain_before": 5,
    "pain_after": 3,
    "note": "felt looser",
    "steps": [
        {"index": 0, "result": "done", "kind": "intro"},
        {
            "index": 2,
            "result": "done",
            "kind": "hold",
            "exercise": "rotation-stretch",
            "side": "left",
            "rep": 1,
        },
        {
            "index": 4,
            "result": "hurt",
            "hurt_severity": "little",
            "kind": "hold",
            "exercise": "rotation-stretch",
            "side": "right",
            "rep": 1,
        },
        {
            "index": 6,
            "result": "skipped",
            "kind": "hold",
            "exercise": "rotation-stretch",
            "side": "left",
            "rep": 2,
        },
    ],
    "hurt_reports": [hurt_report("rotation-stretch", "little", side="right")],
}


@pytest.fixture
def alice(client, patient):
    client.force_login(patient)
    return client


def test_first_post_creates_the_session_and_a_repeat_returns_it(alice, patient):
    body = session_body(patient, **PLAYER_UPLOAD)
    first = post_session(alice, body)
    assert first.status_code == 201, first.content
    again = post_session(alice, body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    session = PracticeSession.objects.get()
    assert (session.holds_done, session.holds_skipped, session.hurts) == (1, 1, 1)
    assert session.pain_before == 5 and session.pain_after == 3
    assert HurtReport.objects.get().severity == "little"


def test_local_date_is_the_patients_own_date(alice, patient):
    # 23:30 UTC on 24 Nov is already 25 Nov in Tokyo.
    patient.time_zone = "Asia/Tokyo"
    patient.save()
    started = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    body = session_body(
        patient,
        started_at=started.isoformat(),
        ended_at=(started + timedelta(minutes=9)).isoformat(),
    )
    assert post_session(alice, body).status_code == 201
    assert str(PracticeSession.objects.get().local_date) == "2026-11-25"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_before": 11}, "pain_before"),
        ({"pain_after": -1}, "pain_after"),
        ({"pain_before": "a lot"}, "pain_before"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"routine_version": None}, "routine_version"),
        ({"steps": [{"index": 0, "result": "exploded"}]}, "steps.0.result"),
        ({"steps": [{"index": 0, "result": "hurt"}]}, "steps.0.hurt_severity"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_gets_a_clear_error_naming_the_field(alice, patient, change, field):
    response = post_session(alice, session_body(patient, **change))
    assert response.status_code == 422
    assert any(error["field"] == field for error in response.json()["errors"]), response.json()
    assert PracticeSession.objects.count() == 0


def test_a_session_in_the_future_is_refused(alice, patient):
    future = datetime.now(UTC) + timedelta(days=1)
    body = session_body(
        patient, started_at=future.isoformat(), ended_at=(future + timedelta(minutes=5)).isoformat()
    )
    response = post_session(alice, body)
    assert response.status_code == 422
    assert "future" in response.json()["detail"]


def test_not_json_is_a_clear_error(alice):
    response = alice.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_anonymous_cannot_post(client, patient):
    assert post_session(client, session_body(patient)).status_code == 401


def test_charlie_cannot_log_against_alices_routine(client, patient, other_patient):
    client.force_login(other_patient)
    response = post_session(client, session_body(patient))
    assert response.status_code == 404
    assert PracticeSession.objects.count() == 0


def test_charlie_cannot_reuse_alices_client_id(client, patient, other_patient):
    alice_client = Client()
    alice_client.force_login(patient)
    body = session_body(patient)
    assert post_session(alice_client, body).status_code == 201
    client.force_login(other_patient)
    clash = session_body(other_patient, client_id=body["client_id"])
    assert post_session(client, clash).status_code == 409
    assert PracticeSession.objects.get().patient == patient


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_session_store_exactly_one(library):
    user = make_patient("race@example.org", "race-password-1")
    body = session_body(user)
    statuses = []
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(6, timeout=30)

    def send(client):
        try:
            barrier.wait()
            statuses.append(post_session(client, body).status_code)
        except Exception as exc:  # reported through the assertion below
            statuses.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {200, 201}, statuses
    assert PracticeSession.objects.filter(client_id=body["client_id"]).count() == 1
