"""The camera coach on the clinician's patient page: what it saw of each session's holds, in
words beside the holds, and the switch that stops it waiting for the patient to be in position
(for the patient's clinicians only, each change in the audit log)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile
from backstretch.clinic.models import AuditEvent
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


def switch(client, patient, **data: str):
    return client.post(reverse("clinic:camera_switch", args=[patient.pk]), data)


def box(body: str) -> str:
    """The switch's checkbox: the attributes after its name."""
    return body.split('name="camera_waits_for_position"')[1].split(">")[0]


def waits(patient) -> bool:
    return PatientProfile.objects.get(user=patient).camera_waits_for_position


def test_the_patients_clinician_switches_the_wait_off_and_on_again(client, bob, patient):
    client.force_login(bob)
    body = page(client, patient)
    assert "Start each hold when the camera sees the patient in position" in body
    assert "checked" in box(body)  # on until a clinician says otherwise

    off = switch(client, patient)  # an unticked box is not sent
    assert off.status_code == 302
    assert off.url == reverse("clinic:patient", args=[patient.pk]) + "#camera"
    assert waits(patient) is False
    shown = client.get(off.url).content.decode()
    assert "Saved. With the camera, each hold" in shown
    assert "checked" not in box(shown)

    assert switch(client, patient, camera_waits_for_position="on").status_code == 302
    assert waits(patient) is True
    changes = AuditEvent.objects.filter(actor=bob, patient=patient, action="change")
    assert list(changes.order_by("at", "pk").values_list("what", flat=True)) == [
        "camera waits for position: off",
        "camera waits for position: on",
    ]


@pytest.mark.parametrize("who", ["eve", "dana", "patient", "other_patient"])
def test_no_one_else_may_switch_it(client, request, bob, patient, who):
    client.force_login(request.getfixturevalue(who))
    assert switch(client, patient).status_code == 404
    assert waits(patient) is True
    assert not AuditEvent.objects.filter(action="change").exists()


def test_the_switch_takes_only_a_post_and_a_login(client, bob, patient):
    url = reverse("clinic:camera_switch", args=[patient.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(bob)
    assert client.get(url).status_code == 405
    assert waits(patient) is True
