"""A posted session must fit the routine version it names: no more steps than a session of it
can play (twice its timeline's, as a "this hurts" may swap a longer, gentler version of an
exercise in), no step beyond those, and played after the version was made (and not in the
future). Each refusal is a 422 that names the field and says what to fix; nothing is stored."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, save_version
from backstretch.routines.timeline import compile_timeline
from tests.sessions import SESSIONS_URL, hurt_report, session_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client, patient):
    client.force_login(patient)
    return client


def post(client, body):
    return client.post(SESSIONS_URL, json.dumps(body), content_type="application/json")


def steps_of(patient):
    return len(compile_timeline(active_routine(patient).current.routine_items()).steps)


def step(index, **fields):
    return {"index": index, "result": "done", "kind": "hold", **fields}


def refusal(response, field):
    assert response.status_code == 422, response.content
    (error,) = [e for e in response.json()["errors"] if e["field"] == field]
    return error["message"]


def test_a_result_for_every_step_a_session_can_play_is_stored(alice, patient):
    most = 2 * steps_of(patient)
    response = post(alice, session_body(patient, steps=[step(n) for n in range(most)]))
    assert response.status_code == 201, response.content
    assert len(PracticeSession.objects.get().steps) == most


def test_more_steps_than_a_session_can_play_are_refused(alice, patient):
    count = steps_of(patient)
    # The heavy post: 5,000 step results for a routine of about a hundred steps.
    for steps in (2 * count + 1, 5000):
        body = session_body(patient, steps=[step(n) for n in range(steps)])
        message = refusal(post(alice, body), "steps")
        assert f"{steps} steps, but a session of this version plays at most {2 * count}" in message
        assert f"(its timeline has {count})" in message and "one result per step" in message
    assert not PracticeSession.objects.exists()


def test_a_step_no_session_can_reach_is_refused(alice, patient):
    most = 2 * steps_of(patient)
    message = refusal(post(alice, session_body(patient, steps=[step(most)])), "steps")
    assert f"step {most} cannot have been played" in message
    assert f"steps 0 to {most - 1} at most" in message
    report = hurt_report("rotation-stretch", "little", step_index=most + 7)
    message = refusal(post(alice, session_body(patient, hurt_reports=[report])), "steps")
    assert f"step {most + 7} cannot have been played" in message
    assert not PracticeSession.objects.exists() and not HurtReport.objects.exists()


def test_more_hurt_reports_than_steps_are_refused(alice, patient):
    # One exercise: twice its steps stays under the schema's own cap of 200 reports, which a
    # whole routine's steps (with their move-in beats) would reach first.
    routine = active_routine(patient)
    version = save_version(routine, routine.current.items[:1], reason="Just the first one")
    RoutineVersion.objects.filter(pk=version.pk).update(
        created_at=datetime.now(UTC) - timedelta(days=1)
    )
    most = 2 * steps_of(patient)
    assert most + 1 <= 200
    reports = [hurt_report("rotation-stretch", "little", step_index=0)] * (most + 1)
    message = refusal(post(alice, session_body(patient, hurt_reports=reports)), "hurt_reports")
    assert f"{most + 1} reports" in message and "at most one per step" in message


def test_a_session_from_before_the_version_existed_is_refused(alice, patient):
    version = active_routine(patient).current
    made = datetime(2026, 3, 2, 10, tzinfo=UTC)
    RoutineVersion.objects.filter(pk=version.pk).update(created_at=made)
    # The case: a session dated 2001.
    for started in (datetime(2001, 6, 1, 9, tzinfo=UTC), made - timedelta(hours=1)):
        body = session_body(
            patient,
            started_at=started.isoformat(),
            ended_at=(started + timedelta(minutes=10)).isoformat(),
        )
        message = refusal(post(alice, body), "started_at")
        assert "before version 1 of this routine existed (it was made on 2 March 2026)" in message
        assert "check the device's clock" in message
    assert not PracticeSession.objects.exists()
    # A phone's clock a few minutes behind the server's is not a wrong date.
    started = made - timedelta(minutes=5)
    body = session_body(
        patient,
        started_at=started.isoformat(),
        ended_at=(started + timedelta(minutes=10)).isoformat(),
    )
    assert post(alice, body).status_code == 201


def test_a_session_in_the_future_is_refused_with_what_to_fix(alice, patient):
    end = datetime.now(UTC) + timedelta(hours=2)
    body = session_body(patient, ended=end)
    assert "in the future: check the device's clock" in refusal(post(alice, body), "ended_at")


def test_a_note_says_how_long_it_may_be(alice, patient):
    message = refusal(post(alice, session_body(patient, note="x" * 2001)), "note")
    assert "at most 2000 characters" in message
