"""What the camera coach saw of a hold, sent with the session's steps: time in position and
whether it counted the hold, kept with the session, answered back, refused where it makes no
sense (a step that is not a hold, a time out of range) with words that say what to fix."""

from __future__ import annotations

import pytest

from backstretch.practice.models import PracticeSession
from tests.sessions import SESSIONS_URL as URL
from tests.sessions import STEPS, post_session, practise, session_body

pytestmark = pytest.mark.django_db


def hold(index: int, rep: int, result: str = "done", **camera: object) -> dict[str, object]:
    step: dict[str, object] = {
        "index": index,
        "result": result,
        "kind": "hold",
        "exercise": "rotation-stretch",
        "side": "left",
        "rep": rep,
        **camera,
    }
    if result == "hurt":
        step["hurt_severity"] = "little"
    return step


WATCHED = [
    {"index": 0, "result": "done", "kind": "intro"},
    hold(2, 1, camera_seconds=27.46, camera_rep=True),
    hold(4, 2, "hurt", camera_seconds=12, camera_rep=False),
    hold(6, 3),  # the camera did not watch this one
]


@pytest.fixture
def alice(client, patient):
    client.force_login(patient)
    return client


def test_a_watched_hold_keeps_what_the_camera_saw_and_the_api_gives_it_back(alice, patient):
    created = post_session(alice, session_body(patient, steps=WATCHED))
    assert created.status_code == 201, created.content
    steps = created.json()["steps"]
    assert [(s["camera_seconds"], s["camera_rep"]) for s in steps] == [
        (None, None),
        (27.5, True),  # to a tenth of a second
        (12.0, False),
        (None, None),
    ]
    stored = PracticeSession.objects.get()
    assert stored.steps[1] == {**WATCHED[1], "camera_seconds": 27.5}
    assert stored.steps[2] == WATCHED[2]
    assert "camera_seconds" not in stored.steps[3] and "camera_rep" not in stored.steps[3]
    # The camera changes nothing the player already counted.
    assert (stored.holds_done, stored.holds_skipped, stored.hurts) == (2, 0, 1)
    listed = alice.get(URL).json()["items"][0]["steps"]
    assert listed == steps


def test_the_patients_clinician_reads_it_through_the_api(client, patient, bob):
    practise(patient, steps=WATCHED)
    client.force_login(bob)
    response = client.get(f"/api/v1/patients/{patient.pk}/sessions")
    assert response.status_code == 200
    steps = response.json()["items"][0]["steps"]
    assert steps[1]["camera_seconds"] == 27.5 and steps[1]["camera_rep"] is True


@pytest.mark.parametrize(
    ("step", "field", "words"),
    [
        (
            {"index": 0, "result": "done", "kind": "rest", "camera_seconds": 5},
            "steps.0.camera_seconds",
            "only allowed on a step of kind 'hold'",
        ),
        (
            {"index": 0, "result": "done", "kind": "activity", "camera_rep": True},
            "steps.0.camera_rep",
            "only allowed on a step of kind 'hold'",
        ),
        (
            {"index": 0, "result": "done", "camera_rep": True},  # no kind: not known to be a hold
            "steps.0.camera_rep",
            "only allowed on a step of kind 'hold'",
        ),
        (hold(0, 1, camera_seconds=-0.5), "steps.0.camera_seconds", "Enter 0 or more."),
        (hold(0, 1, camera_seconds=3600.5), "steps.0.camera_seconds", "Enter 3600 or less."),
        (hold(0, 1, camera_seconds="28"), "steps.0.camera_seconds", "Enter a number."),
        (hold(0, 1, camera_rep="yes"), "steps.0.camera_rep", "Enter true or false."),
        (hold(0, 1, camera_rep=1), "steps.0.camera_rep", "Enter true or false."),
    ],
)
def test_what_makes_no_sense_is_refused_naming_the_field(alice, patient, step, field, words):
    response = post_session(alice, session_body(patient, steps=[step]))
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert words in errors.get(field, ""), response.json()
    assert not PracticeSession.objects.exists()


def test_a_wrong_kind_is_refused_once_for_the_kind_not_again_for_the_camera(alice, patient):
    step = hold(0, 1, camera_seconds=20.0) | {"kind": "stretching"}
    response = post_session(alice, session_body(patient, steps=[step]))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["steps.0.kind"]


def test_the_longest_allowed_hold_and_none_at_all_are_kept(alice, patient):
    steps = [hold(0, 1, camera_seconds=3600, camera_rep=True), hold(2, 2, camera_seconds=0)]
    response = post_session(alice, session_body(patient, steps=steps))
    assert response.status_code == 201, response.content
    stored = PracticeSession.objects.get().steps
    assert [(s["camera_seconds"], s.get("camera_rep")) for s in stored] == [
        (3600.0, True),
        (0.0, None),
    ]


def test_sessions_stored_before_the_camera_read_as_they_were(client, patient):
    older = practise(patient, days_ago=2, steps=STEPS)
    before = list(older.steps)
    client.force_login(patient)
    post_session(client, session_body(patient, steps=WATCHED))
    items = client.get(URL).json()["items"]
    (old,) = [item for item in items if item["id"] == older.pk]
    assert [s["result"] for s in old["steps"]] == ["done", "hurt", "skipped"]
    assert old["steps"][1]["hurt_severity"] == "lot"
    assert {s["camera_seconds"] for s in old["steps"]} == {None}
    assert {s["camera_rep"] for s in old["steps"]} == {None}
    older.refresh_from_db()
    assert older.steps == before


def test_sending_the_same_session_again_keeps_the_first_copy(alice, patient):
    body = session_body(patient, steps=WATCHED)
    assert post_session(alice, body).status_code == 201
    again = dict(body, steps=[hold(2, 1, camera_seconds=1.0, camera_rep=False)])
    second = post_session(alice, again)
    assert second.status_code == 200
    assert second.json()["steps"][1]["camera_seconds"] == 27.5
    assert PracticeSession.objects.get().steps[1]["camera_rep"] is True
