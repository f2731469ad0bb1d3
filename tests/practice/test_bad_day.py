"""The bad-day routine: the patient's own routine cut to 2–3 minutes, from bed, still counted."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from backstretch.practice.badday import MAX_SECONDS, BedOption, bad_day_items
from backstretch.practice.models import PracticeSession
from backstretch.practice.services import bad_day_routine
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import RoutineItem, compile_timeline
from backstretch.safety.models import RedFlagScreen

from .test_player import json_script

PLAY = reverse("practice:play")


def item(slug, position="floor", hold=30, reps=5, sides="each", rest=5):
    return RoutineItem(slug, slug.title(), position, hold, reps, sides, rest, "Breathe out")


LONG_ROUTINE = [item(f"exercise-{n}", hold=30, reps=10) for n in range(6)]


def test_a_long_routine_becomes_its_first_exercises_within_three_minutes():
    short = bad_day_items(LONG_ROUTINE, {})
    seconds = compile_timeline(short).total_seconds
    assert 90 <= seconds <= MAX_SECONDS
    assert compile_timeline(LONG_ROUTINE).total_seconds > 20 * 60
    assert [i.exercise for i in short] == [i.exercise for i in LONG_ROUTINE[: len(short)]]
    assert all(i.repetitions <= 3 and i.hold_seconds <= 20 for i in short)


def test_exercises_with_a_bed_position_are_done_from_bed_with_the_bed_cue():
    beds = {"exercise-0": BedOption("Knees bent, feet on the mattress", 10, "none", 3)}
    short = bad_day_items(LONG_ROUTINE, beds)
    assert (short[0].position, short[0].cue, short[0].sides) == (
        "bed",
        "Knees bent, feet on the mattress",
        "none",
    )
    assert short[1].position == "floor"


def test_even_one_very_long_exercise_gives_a_single_short_repetition():
    routine = [item("long-hold", hold=20, reps=10, sides="each", rest=5)] * 1
    short = bad_day_items([item("long-hold", hold=200, reps=10)], {}, max_seconds=30)
    assert len(short) == 1 and short[0].repetitions == 1
    assert bad_day_items(routine, {})[0].repetitions == 3


def test_the_shipped_daily_four_bad_day_lasts_two_to_three_minutes(patient):
    items = active_routine(patient).current.routine_items()
    short = bad_day_routine(items)
    seconds = compile_timeline(short).total_seconds
    assert 120 <= seconds <= 180, seconds
    assert len(short) < len(items)
    assert any(i.position == "bed" for i in short)


@pytest.fixture
def alice(patient, client):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    client.force_login(patient)
    return patient


def test_the_player_plays_the_short_version_labelled_and_marked_bad_day(client, alice):
    page = client.get(PLAY, {"version": "bad-day"}).content.decode()
    assert "short version for a bad day" in page
    timeline = json_script(page, "player-timeline")
    assert timeline["total_seconds"] <= 180
    version = active_routine(alice).current
    assert json_script(page, "player-config") == {"version": version.pk, "variant": "bad_day"}
    assert "short version" not in client.get(PLAY).content.decode()


def test_a_bad_day_session_is_stored_as_such_and_counts_toward_the_week(frozen_now, client, alice):
    version = active_routine(alice).current
    now = frozen_now
    response = client.post(
        reverse("api:post_session"),
        {
            "client_id": str(uuid.uuid4()),
            "routine_version": version.pk,
            "started_at": (now - timedelta(minutes=3)).isoformat(),
            "ended_at": now.isoformat(),
            "variant": "bad_day",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert PracticeSession.objects.get(patient=alice).variant == "bad_day"
    page = client.get(reverse("practice:today")).content.decode()
    assert "1 of 5 days this week" in page
