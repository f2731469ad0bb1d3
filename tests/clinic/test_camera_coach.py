"""The camera coach on the clinician's patient page: what it saw of each session's holds, in
words beside the holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.sessions import practise

pytestmark = pytest.mark.django_db


def hold(index: int, rep: int, side: str = "left", **camera: object) -> dict[str, object]:
    return {
        "index": index,
        "result": "done",
        "kind": "hold",
        "exercise": "rotation-stretch",
        "side": side,
        "rep": rep,
        **camera,
    }


def page(client, patient) -> str:
    return client.get(reverse("clinic:patient", args=[patient.pk])).content.decode()


def sessions_of(body: str) -> list[str]:
    """Each session's part of the page, newest first."""
    return body.split('<details class="session">')[1:]


def test_a_session_with_watched_holds_says_what_the_camera_saw(client, bob, patient):
    practise(patient, days_ago=2, steps=[hold(2, 1), hold(4, 2), hold(6, 1, "right")])
    practise(
        patient,
        days_ago=1,
        steps=[
            hold(2, 1, camera_seconds=27.6, camera_rep=True),
            hold(4, 2, camera_seconds=14.2, camera_rep=True),
            hold(6, 3, camera_seconds=10.0, camera_rep=False),
            hold(8, 1, "right"),  # not watched: the right side has no camera line
        ],
    )
    client.force_login(bob)
    watched, unwatched = sessions_of(page(client, patient))
    assert watched.count("Camera: in position 52 s over 3 holds, 2 counted") == 1
    assert "Repetition 1: done, camera: in position 28 s" in watched
    assert "Repetition 3: done, camera: in position 10 s" in watched
    assert "Repetition 1: done</span>" in watched  # the right side's hold, as before
    assert "Camera:" not in unwatched and "camera:" not in unwatched
    assert "Repetition 2: done</span>" in unwatched


def test_one_watched_hold_reads_in_the_singular(client, bob, patient):
    practise(patient, steps=[hold(2, 1, camera_seconds=30.0, camera_rep=True)])
    client.force_login(bob)
    assert "Camera: in position 30 s over 1 hold, 1 counted" in page(client, patient)
