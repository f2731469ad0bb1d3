"""The bad-day routine: the patient's own routine cut to 2–3 minutes, from bed, still counted."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from backstretch.practice.badday import (
    MAX_SECONDS,
    PositionOption,
    bad_day_items,
    bad_day_position,
)
from backstretch.practice.models import PracticeSession
from backstretch.practice.services import bad_day_routine
from backstretch.routines.services import active_routine, start_routine_from_template
from backstretch.routines.timeline import ItemVoice, RoutineItem, compile_timeline
from backstretch.safety.models import RedFlagScreen

from .test_player import json_script

PLAY = reverse("practice:play")


def item(slug, position="bed", hold=30, reps=5, sides="each", rest=5, note=""):
    return RoutineItem(slug, slug.title(), position, hold, reps, sides, rest, "Breathe out", note)


def option(posture, cue="Breathe out", hold=10, sides="none", rest=3, activity=""):
    return PositionOption(posture, cue, hold, sides, rest, ItemVoice(activity=activity))


ON_THE_BACK = {"bed": option("back")}
LONG_ROUTINE = [item(f"exercise-{n}", hold=30, reps=10) for n in range(6)]
EVERY_ONE_IN_BED = {i.exercise: ON_THE_BACK for i in LONG_ROUTINE}
BREATHING = item("relaxed-breathing", hold=180, reps=1, sides="none", rest=0)


# --- where an exercise goes on a bad day: every path of the rule --------------------------


@pytest.mark.parametrize(
    ("position", "options", "expected"),
    [
        # Already on a bed or a chair, in a posture a bad day allows: stays.
        ("bed", {"bed": option("back")}, "bed"),
        ("bed", {"bed": option("side")}, "bed"),
        ("chair", {"chair": option("sitting"), "bed": option("back")}, "chair"),
        # On the floor or standing: to the bed first, then to a chair.
        ("floor", {"floor": option("back"), "bed": option("back")}, "bed"),
        ("floor", {"floor": option("sitting"), "chair": option("sitting")}, "chair"),
        ("standing", {"standing": option("standing"), "chair": option("sitting")}, "chair"),
        # Never on hands and knees or kneeling, even on a bed; never face down or standing.
        ("bed", {"bed": option("hands-and-knees")}, None),
        ("floor", {"floor": option("hands-and-knees"), "bed": option("hands-and-knees")}, None),
        ("floor", {"floor": option("kneeling"), "bed": option("back")}, "bed"),
        ("bed", {"bed": option("face-down")}, None),
        ("bed", {"bed": option("face-down"), "chair": option("sitting")}, "chair"),
        ("standing", {"standing": option("standing")}, None),
        # A floor exercise on the back with no bed or chair form: getting down is the problem.
        ("floor", {"floor": option("back")}, None),
        ("bed", {}, None),
    ],
)
def test_a_bad_day_keeps_to_positions_someone_in_pain_can_get_into(position, options, expected):
    assert bad_day_position(item("stretch", position=position), options) == expected


def test_a_long_routine_becomes_its_first_exercises_within_three_minutes():
    short = bad_day_items(LONG_ROUTINE, EVERY_ONE_IN_BED, BREATHING)
    seconds = compile_timeline(short).total_seconds
    assert 90 <= seconds <= MAX_SECONDS
    assert compile_timeline(LONG_ROUTINE).total_seconds > 20 * 60
    assert [i.exercise for i in short] == [i.exercise for i in LONG_ROUTINE[: len(short)]]
    assert all(i.repetitions <= 3 and i.hold_seconds <= 20 for i in short)


def test_an_exercise_moved_to_bed_takes_the_bed_cue_and_dosage_without_the_floor_note():
    floor = [item("knee-rolls", position="floor", note="Keep the mat flat."), *LONG_ROUTINE]
    beds = {**EVERY_ONE_IN_BED, "knee-rolls": {"bed": option("back", "Knees bent on the bed")}}
    short = bad_day_items(floor, beds, BREATHING)
    assert (short[0].position, short[0].cue, short[0].sides, short[0].note) == (
        "bed",
        "Knees bent on the bed",
        "none",
        "",
    )


def test_exercises_no_one_can_get_into_on_a_bad_day_are_left_out_and_the_rest_kept():
    routine = [item("childs-pose"), item("bird-dog", position="floor"), *LONG_ROUTINE[:1]]
    options = {
        "childs-pose": {"bed": option("hands-and-knees")},
        "bird-dog": {"floor": option("hands-and-knees")},
        **EVERY_ONE_IN_BED,
    }
    short = bad_day_items(routine, options, BREATHING)
    assert [i.exercise for i in short] == ["exercise-0"]


def test_when_nothing_fits_a_bad_day_the_short_version_is_a_minute_of_slow_breathing():
    walk = item("walking", position="standing", hold=300, reps=1, sides="none", rest=0)
    short = bad_day_items([walk], {"walking": {"standing": option("standing")}}, BREATHING)
    assert [(i.exercise, i.position, i.hold_seconds) for i in short] == [
        ("relaxed-breathing", "bed", 20)
    ]
    timed = RoutineItem(**{**BREATHING.__dict__, "voice": ItemVoice(activity="Breathe slowly")})
    assert bad_day_items([walk], {}, timed)[0].hold_seconds == 60  # a timed minute


def test_even_one_very_long_exercise_gives_a_single_short_repetition():
    long_hold = item("long-hold", hold=200, reps=10)
    options = {"long-hold": ON_THE_BACK}
    short = bad_day_items([long_hold], options, BREATHING, max_seconds=30)
    assert len(short) == 1 and short[0].repetitions == 1
    assert (
        bad_day_items([item("long-hold", hold=20, reps=10)], options, BREATHING)[0].repetitions == 3
    )


# --- the shipped routines --------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ["daily-four", "daily-four-bed", "starter-floor", "starter-bed", "starter-chair", "bad-day"],
)
def test_no_shipped_routine_puts_anyone_on_hands_and_knees_on_a_bad_day(patient, template):
    start_routine_from_template(patient, template)
    items = active_routine(patient).current.routine_items()
    short = bad_day_routine(items)
    assert 60 <= compile_timeline(short).total_seconds <= MAX_SECONDS
    for each in short:
        assert each.position in ("bed", "chair")
        posture = each.voice.posture.lower()
        assert posture.startswith(("lie on your back", "lie on your", "sit")), posture
        assert "hands and knees" not in posture and "kneel" not in posture
        assert not posture.startswith("lie face down")


def test_the_shipped_daily_four_bad_day_lasts_two_to_three_minutes(patient):
    items = active_routine(patient).current.routine_items()
    short = bad_day_routine(items)
    seconds = compile_timeline(short).total_seconds
    assert 120 <= seconds <= 180, seconds
    assert len(short) < len(items)
    assert {i.exercise for i in short} <= {"rotation-stretch", "hamstring-stretch"}
    assert "childs-pose" not in {i.exercise for i in short}  # hands and knees, even in bed


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
