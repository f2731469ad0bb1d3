"""The timeline compiler: what a patient hears and counts through, step by step."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.routines.timeline import (
    JSON_STEP_KEYS,
    ItemVoice,
    RoutineItem,
    Step,
    StepKind,
    Timeline,
    compile_timeline,
    duration_words,
    format_clock,
    spoken_seconds,
)

ROTATION = RoutineItem(
    exercise="rotation-stretch",
    name="Rotation stretch",
    position="floor",
    hold_seconds=5,
    repetitions=10,
    sides="alternating",
    rest_seconds=3,
    cue="Let both knees lower slowly to one side",
    voice=ItemVoice(
        posture="Lie on your back on a mat, with your knees bent and your feet flat",
        needs=("mat",),
        left="knees to the left",
        right="knees to the right",
        to_left="Back to the middle, then let your knees lower to the left",
        to_right="Back to the middle, then let your knees lower to the right",
    ),
)
CHILDS_POSE = RoutineItem(
    exercise="childs-pose",
    name="Child's pose",
    position="floor",
    hold_seconds=10,
    repetitions=5,
    sides="none",
    rest_seconds=5,
    cue="Sit your hips back and reach your arms forward",
)
HAMSTRING_BED = RoutineItem(
    exercise="hamstring-stretch",
    name="Hamstring stretch",
    position="bed",
    hold_seconds=10,
    repetitions=5,
    sides="each",
    rest_seconds=5,
    cue="Lean forward from your hips with a flat back",
    voice=ItemVoice(
        posture="Sit up on the bed with your left leg straight along the mattress",
        settle_seconds=8,
        left="left leg straight",
        right="right leg straight",
        to_left="Sit up, and swap legs, so your left leg is straight",
        to_right="Sit up, and swap legs, so your right leg is straight",
        switch_seconds=8,
    ),
)
WALK = RoutineItem(
    exercise="walking",
    name="Walking",
    position="standing",
    hold_seconds=300,
    repetitions=1,
    sides="none",
    rest_seconds=0,
    cue="Walk at an easy pace and swing your arms",
    voice=ItemVoice(
        posture="Stand up, in comfortable shoes",
        needs=("shoes",),
        activity="Walk at an easy pace",
    ),
)


# --- strategies -------------------------------------------------------------------------

slugs = st.from_regex(r"[a-z]{1,8}(-[a-z]{1,8}){0,2}", fullmatch=True)
words = st.text(alphabet="abcdefghij klmnop'", min_size=3, max_size=40).filter(str.strip)

voices = st.builds(
    ItemVoice,
    posture=st.one_of(st.just(""), words),
    needs=st.lists(st.sampled_from(["mat", "towel", "chair"]), max_size=2, unique=True).map(tuple),
    settle_seconds=st.integers(1, 15),
    move_in_seconds=st.integers(1, 6),
    left=st.one_of(st.just(""), words),
    right=st.one_of(st.just(""), words),
    to_left=st.one_of(st.just(""), words),
    to_right=st.one_of(st.just(""), words),
    switch_seconds=st.integers(1, 15),
    activity=st.one_of(st.just(""), st.just(""), words),
)
routine_items = st.builds(
    RoutineItem,
    exercise=slugs,
    name=words,
    position=st.sampled_from(["floor", "bed", "chair", "standing"]),
    hold_seconds=st.integers(1, 120),
    repetitions=st.integers(1, 12),
    sides=st.sampled_from(["none", "each", "alternating"]),
    rest_seconds=st.integers(0, 30),
    cue=words,
    note=st.one_of(st.just(""), words),
    voice=voices,
)
routines = st.lists(routine_items, min_size=1, max_size=6)
step_lengths = st.integers(1, 10)


def segments(timeline: Timeline) -> list[list[Step]]:
    """The steps of each routine item, from its intro up to the next transition or the end."""
    found: list[list[Step]] = []
    for step in timeline.steps:
        if step.kind is StepKind.INTRO:
            found.append([])
        if step.kind in (StepKind.NEXT, StepKind.DONE):
            continue
        found[-1].append(step)
    return found


def holds(steps: Sequence[Step]) -> list[Step]:
    return [step for step in steps if step.kind is StepKind.HOLD]


def timed(item: RoutineItem) -> bool:
    return bool(item.voice.activity)


def expected_sides_and_reps(item: RoutineItem) -> Sequence[tuple[str | None, int]]:
    reps = list(range(1, item.repetitions + 1))
    if item.sides == "each":
        return [("left", rep) for rep in reps] + [("right", rep) for rep in reps]
    if item.sides == "alternating":
        return [pair for rep in reps for pair in (("left", rep), ("right", rep))]
    return [(None, rep) for rep in reps]


# --- properties that hold for every routine ---------------------------------------------


@given(routines)
def test_every_item_gets_one_intro_and_its_holds_in_order(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    per_item = segments(timeline)
    assert len(per_item) == len(items)
    for item, steps in zip(items, per_item, strict=True):
        assert steps[0].kind is StepKind.INTRO
        assert {step.exercise for step in steps} == {item.exercise}
        assert {step.position for step in steps} == {item.position}
        if timed(item):
            activity = [step for step in steps if step.kind is StepKind.ACTIVITY]
            assert sum(step.seconds for step in activity) == item.hold_seconds * item.repetitions
            assert holds(steps) == []
            continue
        item_holds = holds(steps)
        factor = 1 if item.sides == "none" else 2
        assert len(item_holds) == item.repetitions * factor
        assert [(hold.side, hold.rep) for hold in item_holds] == expected_sides_and_reps(item)
        assert all(hold.seconds == item.hold_seconds for hold in item_holds)


@given(routines, step_lengths, step_lengths, step_lengths)
def test_totals_add_up_and_no_step_is_empty(
    items: list[RoutineItem], intro: int, transition: int, done: int
) -> None:
    timeline = compile_timeline(
        items, intro_seconds=intro, transition_seconds=transition, done_seconds=done
    )
    assert all(step.seconds >= 1 for step in timeline.steps)
    assert timeline.total_seconds == sum(step.seconds for step in timeline.steps)
    assert all(step.cue.strip() for step in timeline.steps)


@given(routines)
def test_routine_runs_intro_first_and_done_last_with_a_transition_between_exercises(
    items: list[RoutineItem],
) -> None:
    timeline = compile_timeline(items)
    kinds = [step.kind for step in timeline.steps]
    assert kinds[0] is StepKind.INTRO
    assert kinds[-1] is StepKind.DONE
    assert kinds.count(StepKind.DONE) == 1
    assert kinds.count(StepKind.NEXT) == len(items) - 1
    announced = [step.exercise for step in timeline.steps if step.kind is StepKind.NEXT]
    assert announced == [item.exercise for item in items[1:]]
    # The transition is followed straight away by the intro of the exercise it announces.
    for before, after in zip(timeline.steps, timeline.steps[1:], strict=False):
        if before.kind is StepKind.NEXT:
            assert after.kind is StepKind.INTRO and after.exercise == before.exercise


@given(routines)
def test_every_hold_is_moved_into_first_and_its_seconds_are_all_held(
    items: list[RoutineItem],
) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        for position, step in enumerate(steps):
            if step.kind is StepKind.HOLD:
                before = steps[position - 1]
                assert before.kind is StepKind.MOVE_IN
                assert before.side == step.side  # the side it tells the patient to move to
                assert step.seconds == item.hold_seconds
            if step.kind is StepKind.MOVE_IN:
                assert steps[position + 1].kind is StepKind.HOLD
                assert step.seconds >= item.voice.move_in_seconds


@given(routines)
def test_rests_only_between_holds_on_one_side(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        # The last hold of an exercise is never followed by a rest: the segment ends on it.
        assert steps[-1].kind in (StepKind.HOLD, StepKind.ACTIVITY)
        rests = [step for step in steps if step.kind is StepKind.REST]
        if item.rest_seconds == 0 or (item.sides == "alternating" and not timed(item)):
            assert rests == []
            continue
        if timed(item):
            assert len(rests) == item.repetitions - 1
            continue
        per_side = item.repetitions - 1
        assert len(rests) == per_side * (2 if item.sides == "each" else 1)
        assert all(rest.seconds == item.rest_seconds and rest.cue == "Release" for rest in rests)
        for position, step in enumerate(steps):
            if step.kind is StepKind.REST:
                before, after = steps[position - 1], steps[position + 2]
                assert before.kind is after.kind is StepKind.HOLD
                assert before.side == after.side


@given(routines)
def test_side_changes_come_exactly_where_the_side_changes(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        switches = [step for step in steps if step.kind is StepKind.SWITCH_SIDE]
        if timed(item) or item.sides != "each":
            assert switches == []
            continue
        assert len(switches) == 1
        (switch,) = switches
        at = steps.index(switch)
        assert steps[at - 1].side == "left" and steps[at + 2].side == "right"
        assert switch.side == "right"
        assert switch.seconds == max(item.voice.switch_seconds, spoken_seconds(switch.cue))
        assert (item.voice.to_right.strip().rstrip(".") or "right side") in switch.cue


@given(routines)
def test_alternating_change_overs_release_and_move_in_one_step(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        if timed(item) or item.sides != "alternating":
            continue
        change_overs = [s for s in steps if s.kind is StepKind.MOVE_IN and s is not steps[1]]
        assert len(change_overs) == 2 * item.repetitions - 1
        for step in change_overs:
            least = item.rest_seconds + item.voice.move_in_seconds
            assert step.seconds == max(least, spoken_seconds(step.cue))
            to = item.voice.to_left if step.side == "left" else item.voice.to_right
            assert (to.strip().rstrip(".") or f"{step.side} side") in step.cue


@given(routines)
def test_sided_holds_name_their_side_and_count(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        for hold in holds(steps):
            assert f"{hold.rep} of {item.repetitions}" in hold.cue
            if item.sides == "none":
                assert hold.side is None
                assert "side" not in hold.cue.lower()
            else:
                assert hold.side in ("left", "right")
                named = item.voice.left if hold.side == "left" else item.voice.right
                said = named.strip() or f"{hold.side} side"
                assert said[1:] in hold.cue


@given(routines)
def test_timed_activities_never_say_hold_and_mark_each_minute(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        if not timed(item):
            continue
        activity = [step for step in steps if step.kind is StepKind.ACTIVITY]
        assert not any("Hold" in step.cue for step in steps)
        per_rep = len(activity) // item.repetitions
        assert per_rep == 1 + (item.hold_seconds - 1) // 60
        assert activity[0].cue.endswith(f"for {duration_words(item.hold_seconds)}.")
        assert all(step.seconds == 60 for step in activity[1:per_rep])


@given(routines)
def test_json_has_exactly_the_documented_keys_and_round_trips(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    data = timeline.to_json()
    assert set(data) == {"total_seconds", "steps"}
    assert all(tuple(step) == JSON_STEP_KEYS for step in data["steps"])
    assert all(isinstance(step["kind"], str) for step in data["steps"])
    reread = json.loads(json.dumps(data))
    assert reread == data
    assert Timeline.from_json(reread) == timeline


@given(routines)
def test_intro_is_long_enough_to_say(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items, intro_seconds=1)
    for item, steps in zip(items, segments(timeline), strict=True):
        intro = steps[0]
        assert intro.seconds >= spoken_seconds(intro.cue)
        assert item.name.strip().rstrip(".") in intro.cue
        assert item.note.strip() in intro.cue
        assert item.voice.posture in intro.cue
        assert intro.seconds >= spoken_seconds(intro.cue) + item.voice.settle_seconds


# --- examples on the seed's stretches ---------------------------------------------------


def test_rotation_stretch_is_twenty_five_second_holds_alternating_left_and_right() -> None:
    timeline = compile_timeline([ROTATION])
    rotation_holds = holds(timeline.steps)
    assert len(rotation_holds) == 20
    assert all(hold.seconds == 5 for hold in rotation_holds)
    assert [hold.side for hold in rotation_holds] == ["left", "right"] * 10
    assert [hold.rep for hold in rotation_holds][:4] == [1, 1, 2, 2]
    assert rotation_holds[0].cue == "Hold. Knees to the left, 1 of 10"
    assert rotation_holds[-1].cue == "Hold. Knees to the right, 10 of 10"
    cues = [step.cue for step in timeline.steps[:5]]
    assert cues[1:] == [
        "Knees to the left first. Let both knees lower slowly to one side.",
        "Hold. Knees to the left, 1 of 10",
        "Back to the middle, then let your knees lower to the right.",
        "Hold. Knees to the right, 1 of 10",
    ]
    # Moving in lasts as long as its words; the change-over is the rest and the move-in.
    assert [step.seconds for step in timeline.steps[1:5]] == [6, 5, 6, 5]


def test_each_side_exercise_does_all_left_then_switches_once_to_the_right() -> None:
    timeline = compile_timeline([HAMSTRING_BED])
    kinds = [step.kind.value for step in timeline.steps]
    left = ["move_in", "hold"] + ["rest", "move_in", "hold"] * 4
    assert kinds == ["intro", *left, "switch_side", *left, "done"]
    switch = next(step for step in timeline.steps if step.kind is StepKind.SWITCH_SIDE)
    assert switch.cue == "Sit up, and swap legs, so your right leg is straight."
    assert switch.seconds == 8
    assert holds(timeline.steps)[5].cue == "Hold. Right leg straight, 1 of 5"


def test_intro_says_the_position_what_to_have_ready_and_the_first_side() -> None:
    intro = compile_timeline([ROTATION]).steps[0]
    assert intro.cue == (
        "Rotation stretch. Lie on your back on a mat, with your knees bent and your feet flat. "
        "You need a mat."
    )
    assert intro.seconds == spoken_seconds(intro.cue) + 5
    two = RoutineItem(
        **{**WALK.__dict__, "voice": ItemVoice(posture="Lie down", needs=("mat", "towel", "chair"))}
    )
    assert (
        "You need a mat, a towel or a belt and a steady chair."
        in compile_timeline([two]).steps[0].cue
    )


def test_without_voice_data_the_intro_still_names_the_position() -> None:
    intro = compile_timeline([CHILDS_POSE]).steps[0]
    assert intro.cue == "Child's pose, on the floor."
    assert intro.seconds == spoken_seconds(intro.cue) + 5 == 7  # the words, then time to settle


def test_clinicians_note_is_spoken_in_the_intro_and_given_time() -> None:
    note = "Keep the other knee bent and breathe out slowly as you draw the leg in towards you."
    item = RoutineItem(**{**HAMSTRING_BED.__dict__, "note": note})
    intro = compile_timeline([item]).steps[0]
    assert intro.cue.endswith(f"along the mattress. {note}")
    assert intro.seconds == spoken_seconds(intro.cue) + 8


def test_a_walk_says_how_long_and_marks_each_minute_left() -> None:
    steps = compile_timeline([WALK]).steps
    assert [(step.kind.value, step.seconds, step.cue) for step in steps[1:]] == [
        ("activity", 60, "Walk at an easy pace for 5 minutes."),
        ("activity", 60, "4 minutes to go."),
        ("activity", 60, "3 minutes to go."),
        ("activity", 60, "2 minutes to go."),
        ("activity", 60, "1 minute to go."),
        ("done", 3, "Well done: that is all for today."),
    ]
    short = RoutineItem(**{**WALK.__dict__, "hold_seconds": 150})
    cues = [(s.seconds, s.cue) for s in compile_timeline([short]).steps[1:-1]]
    assert cues == [
        (30, "Walk at an easy pace for 2 minutes and 30 seconds."),
        (60, "2 minutes to go."),
        (60, "1 minute to go."),
    ]
    assert duration_words(45) == "45 seconds" and duration_words(60) == "1 minute"


def test_two_exercises_are_joined_by_a_next_step_and_end_with_one_phrase() -> None:
    timeline = compile_timeline([ROTATION, CHILDS_POSE])
    next_step = next(step for step in timeline.steps if step.kind is StepKind.NEXT)
    assert next_step.cue == "Next: Child's pose, on the floor."
    assert next_step.seconds == 3
    assert timeline.steps[-1].cue == "Well done: that is all for today."
    assert timeline.steps[-1].exercise is None


def test_child_pose_holds_have_no_side_and_known_total() -> None:
    timeline = compile_timeline([CHILDS_POSE])
    assert [hold.side for hold in holds(timeline.steps)] == [None] * 5
    # intro 7 + 5 × (move in 4, the time its words take, + hold 10) + 4 rests × 5 + done 3
    assert timeline.total_seconds == 7 + 5 * 14 + 20 + 3
    assert format_clock(timeline.total_seconds) == "1:40"


def test_no_rest_steps_when_the_rest_is_zero() -> None:
    item = RoutineItem(**{**CHILDS_POSE.__dict__, "rest_seconds": 0})
    kinds = [step.kind for step in compile_timeline([item]).steps]
    assert StepKind.REST not in kinds


def test_alternating_change_over_is_the_rest_plus_the_move_in() -> None:
    slow = RoutineItem(**{**ROTATION.__dict__, "rest_seconds": 8})
    moves = [s for s in compile_timeline([slow]).steps if s.kind is StepKind.MOVE_IN]
    assert {move.seconds for move in moves[1:]} == {8 + 3}
    assert all(step.seconds >= spoken_seconds(step.cue) for step in moves)


def test_fixed_phrases_go_through_translate() -> None:
    french = {"Release": "Relâchez", "Hold. {rep} of {count}": "Tenez. {rep} sur {count}"}
    timeline = compile_timeline([CHILDS_POSE], translate=lambda text: french.get(text, text))
    cues = [step.cue for step in timeline.steps]
    assert "Relâchez" in cues
    assert "Tenez. 1 sur 5" in cues


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sides": "both"}, "sides must be one of"),
        ({"hold_seconds": 0}, "hold_seconds must be at least 1"),
        ({"repetitions": 0}, "repetitions must be at least 1"),
        ({"rest_seconds": -1}, "rest_seconds cannot be negative"),
    ],
)
def test_bad_dosage_is_refused_naming_the_exercise(change: dict[str, object], message: str) -> None:
    item = RoutineItem(**{**CHILDS_POSE.__dict__, **change})
    with pytest.raises(ValueError, match=message) as error:
        compile_timeline([CHILDS_POSE, item])
    assert "item 1 (childs-pose)" in str(error.value)


def test_empty_routine_and_zero_length_steps_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one exercise"):
        compile_timeline([])
    with pytest.raises(ValueError, match="transition_seconds must be at least 1"):
        compile_timeline([ROTATION], transition_seconds=0)
    still = RoutineItem(**{**ROTATION.__dict__, "voice": ItemVoice(move_in_seconds=0)})
    with pytest.raises(ValueError, match="move_in_seconds must be at least 1"):
        compile_timeline([still])


def test_a_timeline_whose_total_disagrees_with_its_steps_is_refused() -> None:
    data = compile_timeline([CHILDS_POSE]).to_json()
    data["total_seconds"] += 1
    with pytest.raises(ValueError, match="add up to"):
        Timeline.from_json(data)


# --- A slower pace (PatientProfile.pace) ---------------------------------------------------------


def test_a_slower_pace_makes_holds_and_moves_half_as_long_again_and_keeps_every_step():
    items = [ROTATION, HAMSTRING_BED, WALK]
    usual = compile_timeline(items)
    slower = compile_timeline(items, pace="slower")
    assert [(s.kind, s.cue) for s in slower.steps] == [(s.kind, s.cue) for s in usual.steps]
    for before, after in zip(usual.steps, slower.steps, strict=True):
        if before.kind in (StepKind.ACTIVITY, StepKind.DONE):
            assert after.seconds == before.seconds  # minutes said out loud stay true
        else:
            assert after.seconds == -(-before.seconds * 3 // 2), before
    assert slower.total_seconds > usual.total_seconds
    assert compile_timeline(items, pace="usual") == usual
