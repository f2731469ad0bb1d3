"""The camera coach's part of the player page: which exercises it offers to watch, the rules
and words it carries, and the clinician's switch (practice/coach.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile
from backstretch.library.camera_schema import BLAZEPOSE, CUES
from backstretch.routines.services import prescribe
from tests.practice.test_player import json_script, screened

PLAY = reverse("practice:play")


@pytest.fixture
def alice(patient, client):
    client.force_login(screened(patient))
    return patient


def page_of(client) -> str:
    response = client.get(PLAY)
    assert response.status_code == 200
    return response.content.decode()


def test_the_seed_routine_offers_the_camera_for_its_four_stretches(client, alice):
    page = page_of(client)
    coach = json_script(page, "player-coach")
    assert coach["landmarks"] == list(BLAZEPOSE)
    assert coach["waits"] is True  # unless the clinician switched it off
    keys = set(coach["rules"])
    # The seed four on the floor; the hip flexor stretch and the rotation have two sides.
    for key in (
        "childs-pose:floor:left",
        "hamstring-stretch:floor:left",
        "hip-flexor-stretch:floor:left",
        "hip-flexor-stretch:floor:right",
        "rotation-stretch:floor:left",
        "rotation-stretch:floor:right",
    ):
        assert key in keys
    left = coach["rules"]["hip-flexor-stretch:floor:left"]
    right = coach["rules"]["hip-flexor-stretch:floor:right"]
    assert [c["points"] for c in right["checks"]] == [
        [p.replace("left_", "@").replace("right_", "left_").replace("@", "right_") for p in c]
        for c in (check["points"] for check in left["checks"])
    ]
    assert left["phone"].startswith(("Stand", "Put", "Place", "Lean", "Prop"))
    assert "landmarks" not in left  # sent once for all
    # The opt-in names them and says what the camera does not do; it is off until tapped.
    optin = re.search(r'<section class="coach-optin".*?</section>', page, re.S)
    assert optin and " hidden>" in optin.group(0).split("\n")[0]
    for words in ("Child", "Hamstring", "Hip flexor", "Rotation", "nothing is recorded or sent"):
        assert words in optin.group(0)
    # Every correction the coach may say is on the page, in words.
    for key, sentence in CUES.items():
        assert f'data-key="coach.cue.{key}">{sentence}<' in page.replace("&#x27;", "'")


def test_a_routine_without_coached_exercises_offers_no_camera(client, alice):
    prescribe(
        alice,
        "Gentle",
        [
            {
                "exercise": "pelvic-tilt",
                "position": "floor",
                "hold_seconds": 5,
                "repetitions": 5,
                "sides": "none",
                "rest_seconds": 3,
            }
        ],
    )
    page = page_of(client)
    assert json_script(page, "player-coach")["rules"] == {}
    assert 'id="coach-optin"' not in page
    assert "Use the camera" not in page


def test_the_clinicians_switch_reaches_the_player(client, alice):
    PatientProfile.objects.filter(user=alice).update(camera_waits_for_position=False)
    assert json_script(page_of(client), "player-coach")["waits"] is False


def test_a_spanish_reader_gets_the_camera_words_in_spanish(client, alice):
    english = json_script(page_of(client), "player-coach")["rules"]
    alice.language = "es"
    alice.save(update_fields=["language"])
    page = page_of(client)
    spanish = json_script(page, "player-coach")["rules"]
    for key in ("childs-pose:floor:left", "hip-flexor-stretch:floor:right"):
        assert spanish[key]["phone"] and spanish[key]["phone"] != english[key]["phone"]
        assert spanish[key]["checks"] == english[key]["checks"]
    said = re.search(r'data-key="coach.cue.stand-up-tall">(.*?)<', page)
    assert said and said.group(1) not in ("", CUES["stand-up-tall"])
    assert "Use the camera" not in page  # the opt-in is in Spanish too
