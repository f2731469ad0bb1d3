"""The patient's API: today's timeline, the routine, sessions (paged; saved once per id)."""

from __future__ import annotations

import json
import math
import multiprocessing
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from backstretch.practice.models import PracticeSession
from backstretch.routines.services import active_routine, save_version
from tests.sessions import STEPS, session_body

from .conftest import post_json

TODAY = "/api/v1/me/today"
SESSIONS = "/api/v1/me/sessions"


def test_today_gives_the_routine_and_its_timeline_and_marks_it_done(monkeypatch, api, patient):
    # 23:30 at the server (UTC) on 15 July is already 00:30 on 16 July for Alice in London.
    late_evening = datetime(2026, 7, 15, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening)
    routine = active_routine(patient)
    answer = api.get(TODAY).json()
    assert answer["routine"] == {
        "id": routine.pk,
        "version": routine.current.pk,
        "number": 1,
        "name": routine.name,
    }
    timeline = answer["timeline"]
    assert timeline["total_seconds"] == sum(step["seconds"] for step in timeline["steps"]) > 60
    assert timeline["steps"][-1]["kind"] == "done"
    assert {s["exercise"] for s in timeline["steps"] if s["kind"] == "hold"} == {
        i["exercise"] for i in routine.current.items
    }
    assert answer["done_today"] is False
    assert answer["date"] == "2026-07-16"  # Alice's own date, not the server's

    assert post_json(api, SESSIONS, session_body(patient)).status_code == 201
    assert api.get(TODAY).json()["done_today"] is True


def test_a_new_version_of_the_routine_is_played_at_once_though_timelines_are_cached(api, patient):
    """The clinician shortens the routine to its first exercise, held longer: the very next
    /today plays that, not the timeline cached a moment ago for the old version."""
    routine = active_routine(patient)
    before = api.get(TODAY).json()["timeline"]
    assert api.get(TODAY).json()["timeline"] == before  # served from the cache
    first = {**routine.current.items[0], "hold_seconds": 45}
    version = save_version(routine, [first], reason="One stretch, held longer")
    answer = api.get(TODAY).json()
    assert answer["routine"]["version"] == version.pk
    holds = [step for step in answer["timeline"]["steps"] if step["kind"] == "hold"]
    assert {step["exercise"] for step in holds} == {first["exercise"]}
    assert {step["seconds"] for step in holds} == {45}
    assert answer["timeline"] != before


def test_today_plays_at_the_pace_the_patient_chose(api, patient):
    """A patient who chose the slower pace on their profile gets it from the API too (an app
    playing the routine from /today holds and moves half as long again), at once."""
    usual = api.get(TODAY).json()["timeline"]
    patient.patient.pace = "slower"
    patient.patient.save(update_fields=["pace"])
    slower = api.get(TODAY).json()["timeline"]
    assert [s["cue"] for s in slower["steps"]] == [s["cue"] for s in usual["steps"]]
    holds = [
        (u["seconds"], s["seconds"])
        for u, s in zip(usual["steps"], slower["steps"], strict=True)
        if u["kind"] == "hold"
    ]
    assert holds and all(after == math.ceil(before * 1.5) for before, after in holds)
    assert slower["total_seconds"] > usual["total_seconds"]


def test_the_routine_lists_its_exercises(api, patient):
    answer = api.get("/api/v1/me/routine").json()
    version = active_routine(patient).current
    assert answer["version"] == version.pk
    assert [item["exercise"] for item in answer["items"]] == [i["exercise"] for i in version.items]
    assert all(item["name"] and item["hold_seconds"] > 0 for item in answer["items"])


def test_a_patient_without_a_routine_is_told_so(api, patient):
    patient.routines.update(is_active=False)
    assert api.get(TODAY).json()["routine"] is None
    response = api.get("/api/v1/me/routine")
    assert response.status_code == 404
    assert "no routine" in response.json()["detail"]


def test_sessions_come_newest_first_a_page_at_a_time(api, patient):
    ended = datetime.now(UTC) - timedelta(hours=3)
    ids = []
    for hours in range(3):
        end = ended + timedelta(hours=hours)
        body = session_body(patient, ended=end, minutes=8, steps=STEPS)
        ids.append(post_json(api, SESSIONS, body).json()["id"])
    first = api.get(SESSIONS, {"limit": 2}).json()
    assert first["count"] == 3
    assert [s["id"] for s in first["items"]] == [ids[2], ids[1]]
    assert first["items"][0]["steps"][1] == {
        "index": 1,
        "result": "hurt",
        "hurt_severity": "lot",
        "kind": None,
        "exercise": None,
        "position": None,
        "side": None,
        "rep": None,
        "camera_seconds": None,
        "camera_rep": None,
    }
    second = api.get(SESSIONS, {"limit": 2, "offset": 2}).json()
    assert [s["id"] for s in second["items"]] == [ids[0]]
    bad = api.get(SESSIONS, {"limit": 0})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "limit"


def test_a_repeat_returns_the_stored_session_without_a_second(api, patient):
    body = session_body(patient)
    first = post_json(api, SESSIONS, body)
    again = post_json(api, SESSIONS, {**body, "note": "changed"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert PracticeSession.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"pain_after": 11}, "pain_after", "Enter 10 or less."),
        ({"pain_before": "7"}, "pain_before", "Enter a whole number."),  # no strings here
        ({"pain_before": 2.5}, "pain_before", "Enter a whole number."),
        (
            {"steps": [{"index": 0, "result": "done", "kind": "cartwheel"}]},
            "steps.0.kind",
            "Choose one of: 'intro', ",
        ),
        ({"steps": [{"index": "first", "result": "done"}]}, "steps.0.index", "whole number"),
        (
            {"steps": [{"index": 0, "result": "done", "exercise": "../x"}]},
            "steps.0.exercise",
            "the form this pattern",
        ),
        ({"steps": "all done"}, "steps", "Give a list (in square brackets)."),
        ({"routine_version": 2**70}, "routine_version", "or less."),
        ({"note": "a\x00b"}, "note", "NUL"),
        ({"note": "x" * 2001}, "note", "Use at most 2000 characters."),
        ({"started_at": "2026-11-25T08:00:00"}, "started_at", "time zone"),
        ({"started_at": "0001-01-01T00:00:00+05:00"}, "started_at", "before the year 2000"),
        ({"started_at": "yesterday"}, "started_at", "for example 2026-12-06T08:30:00+01:00"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, patient, change, field, words):
    response = post_json(api, SESSIONS, session_body(patient, **change))
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert not PracticeSession.objects.exists()


@pytest.mark.parametrize("missing", ["client_id", "routine_version", "started_at", "ended_at"])
def test_a_missing_field_is_named(api, patient, missing):
    body = session_body(patient)
    del body[missing]
    response = post_json(api, SESSIONS, body)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": missing, "message": "Field required"}


def test_a_session_in_the_future_is_refused(api, patient):
    end = datetime.now(UTC) + timedelta(hours=2)
    body = session_body(
        patient,
        started_at=(end - timedelta(minutes=5)).isoformat(),
        ended_at=end.isoformat(),
    )
    response = post_json(api, SESSIONS, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ended_at"
    assert "future" in response.json()["detail"]


@pytest.mark.parametrize("body", ["", "[]", "null", '{"client_id": ', "\xff\xfe"])
def test_a_body_that_is_not_a_session_is_a_json_error(api, patient, body):
    response = post_json(api, SESSIONS, body.encode("latin-1"))
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert response.json()["errors"][0]["field"] in ("body", "")
    assert not PracticeSession.objects.exists()


def test_a_body_that_is_not_json_names_the_body_and_says_what_to_send(api, patient):
    response = post_json(api, SESSIONS, b'{"client_id": ')
    assert response.status_code == 400
    assert response.json() == {
        "detail": "body: not valid JSON: send one JSON object with Content-Type: application/json",
        "errors": [
            {
                "field": "body",
                "message": "not valid JSON: send one JSON object with Content-Type: "
                "application/json",
            }
        ],
    }


def test_a_10_mb_body_is_refused_in_json(api, patient):
    huge = json.dumps(session_body(patient, note="x" * 10_000_000))
    response = post_json(api, SESSIONS, huge)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not PracticeSession.objects.exists()


def _post_over_http(url: str, token: str, body: bytes, results) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            results.put(response.status)
    except urllib.error.HTTPError as error:
        results.put(error.code)
    except OSError as error:
        results.put(repr(error))


@pytest.mark.django_db(transaction=True)
def test_the_same_session_posted_from_eight_processes_is_stored_once(
    live_server, patient, alice_token
):
    body = json.dumps(session_body(patient, client_id=str(uuid.uuid4()))).encode()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(
            target=_post_over_http, args=(live_server.url + SESSIONS, alice_token, body, results)
        )
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    statuses = [results.get(timeout=90) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(statuses, key=str) == [200] * 7 + [201], statuses
    assert PracticeSession.objects.count() == 1


def test_asked_the_safety_questions_again_the_api_says_so(api, patient):
    from backstretch.safety.rescreen import ask_again

    ask_again(patient, "sharp pain during the session")
    response = api.get(TODAY)
    assert response.status_code == 403
    assert "safety questions" in response.json()["detail"]
    # Saving a session already done still works: nothing saved is lost.
    assert post_json(api, SESSIONS, session_body(patient)).status_code == 201


def _not_set_up(patient):
    patient.patient.delete()


def _asked_again(patient):
    from backstretch.safety.rescreen import ask_again

    ask_again(patient, "sharp pain during the session")


def _answers_need_a_clinician(patient):
    from backstretch.safety.models import RedFlagScreen
    from backstretch.safety.rescreen import answer, ask_again

    ask_again(patient, "sharp pain during the session")
    answer(patient, RedFlagScreen.objects.create(user=patient, answers={}, urgency="prompt"))


@pytest.mark.parametrize(
    ("stopped_by", "detail"),
    [
        (
            _not_set_up,
            "You are not set up as a patient yet: choose your preferences at /accounts/welcome/ "
            "first.",
        ),
        (_asked_again, "Answer the safety questions at /safety/check/ before starting a routine."),
        (
            _answers_need_a_clinician,
            "Your latest safety answers need a clinician's check first: see "
            "/safety/check/result/ for what to do and how your routine unlocks again.",
        ),
    ],
)
def test_the_api_says_what_to_do_before_a_routine_may_start(api, patient, stopped_by, detail):
    stopped_by(patient)
    response = api.get(TODAY)
    assert response.status_code == 403
    assert response.json() == {"detail": detail}
