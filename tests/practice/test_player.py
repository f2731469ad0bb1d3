"""The guided session player page (/today/play/) and its server-made alternatives."""

import gzip
import json
import re

import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile
from backstretch.practice.alternatives import (
    PositionDosage,
    figure_keys,
    gentler_positions,
    routine_alternatives,
    segment,
    shorter_hold,
)
from backstretch.routines.models import Routine
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import RoutineItem, compile_timeline
from backstretch.safety.models import RedFlagScreen

PLAY = reverse("practice:play")


def screened(user):
    RedFlagScreen.objects.create(user=user, answers={}, urgency="clear")
    return user


@pytest.fixture
def alice(patient, client):
    client.force_login(screened(patient))
    return patient


def json_script(page: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


# ---- who gets in ----


def test_anonymous_visitors_are_sent_to_log_in(client, library):
    response = client.get(PLAY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/today/play/" in response["Location"]


def test_a_user_without_a_patient_profile_is_sent_to_onboarding(client, library, django_user_model):
    user = django_user_model.objects.create_user("bob@example.org", "bob-password-1")
    client.force_login(user)
    response = client.get(PLAY)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")


def test_an_unscreened_self_guided_patient_is_sent_to_the_red_flag_screen(client, patient):
    client.force_login(patient)
    response = client.get(PLAY)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:screen")


def test_a_patient_without_an_active_routine_gets_a_friendly_way_back(
    client, library, django_user_model
):
    user = django_user_model.objects.create_user("erin@example.org", "erin-password-1")
    PatientProfile.objects.create(user=user, screened_by_clinician=True)
    client.force_login(user)
    page = client.get(PLAY).content.decode()
    assert "No routine to play yet" in page
    assert f'href="{reverse("practice:today")}"' in page
    assert "player-timeline" not in page


# ---- what the page carries ----


def test_the_page_ships_the_compiled_timeline_of_the_current_version(client, alice):
    version = active_routine(alice).current
    page = client.get(PLAY).content.decode()
    assert (
        json_script(page, "player-timeline") == compile_timeline(version.routine_items()).to_json()
    )
    assert json_script(page, "player-config") == {"version": version.pk}
    assert 'data-api="/api/v1/me/sessions"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_page_uses_the_newest_version(client, alice):
    from backstretch.routines.services import save_version

    routine = active_routine(alice)
    items = [dict(routine.current.items[1], repetitions=2)]
    newer = save_version(routine, items, reason="fewer")
    page = client.get(PLAY).content.decode()
    timeline = json_script(page, "player-timeline")
    assert timeline == compile_timeline(newer.routine_items()).to_json()
    assert json_script(page, "player-config") == {"version": newer.pk}


def test_the_rotation_stretch_offers_its_bed_version_as_a_ready_segment(client, alice):
    page = client.get(PLAY).content.decode()
    alternatives = json_script(page, "player-alternatives")
    assert [a["exercise"] for a in alternatives] == [
        "rotation-stretch",
        "childs-pose",
        "hamstring-stretch",
        "hip-flexor-stretch",
    ]
    rotation = alternatives[0]
    assert rotation["position"] == "floor"
    assert rotation["positions"]["floor"]["gentler"] == ["bed"]
    bed = rotation["positions"]["bed"]
    assert bed["gentler"] == []
    kinds = [s["kind"] for s in bed["steps"]]
    assert kinds[:2] == ["intro", "move_in"] and "done" not in kinds
    assert {s["position"] for s in bed["steps"]} == {"bed"}
    assert bed["steps"][0]["cue"].startswith(
        "Rotation stretch (knee rolls). Lie on your back on the bed"
    )
    holds = [(s["side"], s["rep"]) for s in bed["steps"] if s["kind"] == "hold"]
    assert len(holds) == 20 and holds[:2] == [("left", 1), ("right", 1)]  # 10 each, alternating
    # Shorter hold: 5 s halves to 2 s.
    shorter = rotation["positions"]["floor"]["shorter"]
    assert shorter["hold_seconds"] == 2
    assert {s["seconds"] for s in shorter["steps"] if s["kind"] == "hold"} == {2}


def test_the_page_carries_a_figure_for_every_position_it_may_show(client, alice):
    page = client.get(PLAY).content.decode()
    found = re.findall(r'<template data-figure="([a-z-]+:[a-z]+)" data-src="([^"]+)">', page)
    keys = [key for key, _src in found]
    assert "rotation-stretch:floor" in keys and "rotation-stretch:bed" in keys
    assert "childs-pose:floor" in keys
    assert len(keys) == len(set(keys))
    for key, src in found:  # each the animated figure's file, served to the player's fetch
        slug, position = key.split(":")
        assert src.startswith(f"/figures/{slug}_{position}_left_animated.")
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


def test_the_pain_scale_offers_exactly_0_to_10_twice(client, alice):
    page = client.get(PLAY).content.decode()
    values = re.findall(r'class="pain-scale__value[^"]*" data-value="(\d+)"', page)
    assert values == [str(n) for n in range(11)] * 2
    assert 'aria-label="0, no pain"' in page
    assert 'aria-label="10, the worst pain you can imagine"' in page


def test_the_page_is_compressed_for_browsers_that_accept_it(client, alice):
    response = client.get(PLAY, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 60_000
    assert b"player-timeline" in gzip.decompress(response.content)


def test_stop_guidance_is_on_the_page_in_our_words(client, alice):
    page = client.get(PLAY).content.decode()
    assert "Please stop for today" in page
    assert "Get emergency help now" in page
    assert "Call your clinician or doctor today" in page


def test_the_end_of_session_tips_come_from_the_tips_file(client, alice):
    from backstretch.practice.tips import Moment, shipped_tips

    page = client.get(PLAY).content.decode()
    after = [tip for tip in shipped_tips() if Moment.AFTER_SESSION in tip.moments]
    assert len(after) >= 3
    for number, tip in enumerate(after, start=1):
        assert f'<span data-key="tip.{number}">{tip.text}</span>'.replace("'", "&#x27;") in page


def test_another_patients_routine_is_never_shown(client, alice, other_patient):
    mine = active_routine(alice).current
    page = client.get(PLAY).content.decode()
    assert json_script(page, "player-config") == {"version": mine.pk}
    assert Routine.objects.filter(patient=other_patient).exists()


# ---- alternatives.py (pure) ----


def item(**changes) -> RoutineItem:
    base = RoutineItem(
        exercise="hamstring-stretch",
        name="Hamstring stretch",
        position="floor",
        hold_seconds=10,
        repetitions=3,
        sides="each",
        rest_seconds=5,
        cue="Lean forward",
        note="Slowly.",
    )
    from dataclasses import replace

    return replace(base, **changes)


def test_gentler_positions_are_ordered_gentlest_first():
    assert gentler_positions("standing", ["standing", "floor", "chair", "bed"]) == [
        "bed",
        "chair",
        "floor",
    ]
    assert gentler_positions("floor", ["floor", "chair"]) == ["chair"]
    assert gentler_positions("bed", ["bed", "floor", "chair"]) == []
    assert gentler_positions("floor", ["floor"]) == []


@pytest.mark.parametrize(
    ("hold", "shorter"), [(10, 5), (5, 2), (7, 3), (4, 2), (3, 2), (2, None), (1, None)]
)
def test_a_shorter_hold_is_half_at_least_two_seconds_and_really_shorter(hold, shorter):
    assert shorter_hold(hold) == shorter


def test_a_gentler_position_uses_its_own_dosage_and_keeps_the_prescribed_count():
    positions = {
        "floor": PositionDosage(10, 5, "Lean forward"),
        "bed": PositionDosage(20, 3, "Lift the leg gently"),
    }
    prescribed = item(repetitions=2, hold_seconds=15)
    [entry] = routine_alternatives([prescribed], {"hamstring-stretch": positions})
    bed = entry["positions"]["bed"]
    holds = [s for s in bed["steps"] if s["kind"] == "hold"]
    assert [(s["side"], s["rep"]) for s in holds] == [
        ("left", 1),
        ("left", 2),
        ("right", 1),
        ("right", 2),
    ]
    assert {s["seconds"] for s in holds} == {20}
    assert [s["seconds"] for s in bed["steps"] if s["kind"] == "rest"] == [3, 3]
    assert bed["steps"][0]["cue"].endswith("Slowly.")  # the intro keeps the clinician's note
    assert bed["steps"][1]["cue"] == "Left side first. Lift the leg gently."  # the bed's move-in
    # The prescribed position keeps the clinician's hold, and its shorter version halves it.
    assert entry["positions"]["floor"]["hold_seconds"] == 15
    assert entry["positions"]["floor"]["shorter"]["hold_seconds"] == 7
    assert figure_keys([entry]) == [("hamstring-stretch", "floor"), ("hamstring-stretch", "bed")]


def test_a_segment_is_the_compiled_exercise_without_done():
    steps = segment(item(), lambda text: text)
    full = compile_timeline([item()]).to_json()["steps"]
    assert steps == full[:-1]
    assert full[-1]["kind"] == "done"
