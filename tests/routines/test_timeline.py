"""The timeline compiler: what a patient hears and counts through, step by step."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.routines.timeline import (
    JSON_STEP_KEYS,
    RoutineItem,
    Step,
    StepKind,
    Timeline,
    compile_timeline,
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
    cue="Draw the straight leg gently toward you",
)


# --- strategies -------------------------------------------------------------------------

slugs = st.from_regex(r"[a-z]{1,8}(-[a-z]{1,8}){0,2}", fullmatch=True)
words = st.text(alphabet="abcdefghij klmnop'", min_size=3, max_size=40).filter(str.strip)

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
        assert steps[1].kind is StepKind.GET_READY
        item_holds = holds(steps)
        factor = 1 if item.sides == "none" else 2
        assert len(item_holds) == item.repetitions * factor
        assert [(hold.side, hold.rep) for hold in item_holds] == expected_sides_and_reps(item)
        assert all(hold.seconds == item.hold_seconds for hold in item_holds)
        assert {step.exercise for step in steps} == {item.exercise}
        assert {step.position for step in steps} == {item.position}


@given(routines, step_lengths, step_lengths, step_lengths, step_lengths, step_lengths)
def test_totals_add_up_and_no_step_is_empty(
    items: list[RoutineItem],
    get_ready: int,
    intro: int,
    switch: int,
    transition: int,
    done: int,
) -> None:
    timeline = compile_timeline(
        items,
        get_ready_seconds=get_ready,
        intro_seconds=intro,
        switch_seconds=switch,
        transition_seconds=transition,
        done_seconds=done,
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
def test_rests_only_between_holds_on_one_side(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        # The last hold of an exercise is never followed by a rest: the segment ends on it.
        assert steps[-1].kind is StepKind.HOLD
        rests = [step for step in steps if step.kind is StepKind.REST]
        if item.rest_seconds == 0 or item.sides == "alternating":
            assert rests == []
            continue
        per_side = item.repetitions - 1
        assert len(rests) == per_side * (2 if item.sides == "each" else 1)
        assert all(rest.seconds == item.rest_seconds and rest.cue == "Release" for rest in rests)
        for position, step in enumerate(steps):
            if step.kind is StepKind.REST:
                before, after = steps[position - 1], steps[position + 1]
                assert before.kind is after.kind is StepKind.HOLD
                assert before.side == after.side


@given(routines)
def test_side_switches_come_exactly_where_the_side_changes(items: list[RoutineItem]) -> None:
    timeline = compile_timeline(items)
    for item, steps in zip(items, segments(timeline), strict=True):
        switches = [step for step in steps if step.kind is StepKind.SWITCH_SIDE]
        expected = {"none": 0, "each": 1, "alternating": 2 * item.repetitions - 1}[item.sides]
        assert len(switches) == expected
        for position, step in enumerate(steps):
            if step.kind is StepKind.SWITCH_SIDE:
                before, after = steps[position - 1], steps[position + 1]
                assert before.kind is after.kind is StepKind.HOLD
                assert before.side != after.side
                assert step.side == after.side  # the side it tells the patient to move to
                assert after.side is not None and after.side in step.cue


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
                assert f"{hold.side.capitalize()} side" in hold.cue


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


# --- examples on the seed's stretches ---------------------------------------------------


def test_rotation_stretch_is_twenty_five_second_holds_alternating_left_and_right() -> None:
    timeline = compile_timeline([ROTATION])
    rotation_holds = holds(timeline.steps)
    assert len(rotation_holds) == 20
    assert all(hold.seconds == 5 for hold in rotation_holds)
    assert [hold.side for hold in rotation_holds] == ["left", "right"] * 10
    assert [hold.rep for hold in rotation_holds][:4] == [1, 1, 2, 2]
    assert rotation_holds[0].cue == "Hold. Left side, 1 of 10"
    assert rotation_holds[-1].cue == "Hold. Right side, 10 of 10"


def test_each_side_exercise_does_all_left_then_switches_once_to_the_right() -> None:
    timeline = compile_timeline([HAMSTRING_BED])
    kinds = [step.kind.value for step in timeline.steps]
    left = ["hold", "rest"] * 4 + ["hold"]
    assert kinds == ["intro", "get_ready", *left, "switch_side", *left, "done"]
    switch = next(step for step in timeline.steps if step.kind is StepKind.SWITCH_SIDE)
    assert switch.cue == "Switch to your right side"
    assert switch.seconds == 5


def test_intro_announces_name_position_and_instruction() -> None:
    intro = compile_timeline([HAMSTRING_BED]).steps[0]
    assert intro.cue == "Hamstring stretch, on the bed. Draw the straight leg gently toward you."
    assert intro.seconds == 6


def test_clinicians_note_is_spoken_in_the_intro_and_given_time() -> None:
    note = "Keep the other knee bent and breathe out slowly as you draw the leg in towards you."
    item = RoutineItem(**{**HAMSTRING_BED.__dict__, "note": note})
    intro = compile_timeline([item]).steps[0]
    assert intro.cue.endswith(note)
    assert intro.seconds == spoken_seconds(intro.cue) > 6


def test_count_in_matches_its_length() -> None:
    assert compile_timeline([CHILDS_POSE]).steps[1].cue == "Get ready… 3, 2, 1"
    assert compile_timeline([CHILDS_POSE], get_ready_seconds=2).steps[1].cue == "Get ready… 2, 1"


def test_two_exercises_are_joined_by_a_next_step_and_end_with_done() -> None:
    timeline = compile_timeline([ROTATION, CHILDS_POSE])
    next_step = next(step for step in timeline.steps if step.kind is StepKind.NEXT)
    assert next_step.cue == "Next: Child's pose"
    assert next_step.seconds == 5
    assert timeline.steps[-1].cue == "Done. Well done for today."
    assert timeline.steps[-1].exercise is None


def test_child_pose_holds_have_no_side_and_known_total() -> None:
    timeline = compile_timeline([CHILDS_POSE])
    assert [hold.side for hold in holds(timeline.steps)] == [None] * 5
    # intro 6 + get ready 3 + 5 holds × 10 + 4 rests × 5 + done 3
    assert timeline.total_seconds == 6 + 3 + 50 + 20 + 3
    assert format_clock(timeline.total_seconds) == "1:22"


def test_no_rest_steps_when_the_rest_is_zero() -> None:
    item = RoutineItem(**{**CHILDS_POSE.__dict__, "rest_seconds": 0})
    kinds = [step.kind for step in compile_timeline([item]).steps]
    assert StepKind.REST not in kinds


def test_alternating_change_over_is_never_shorter_than_the_prescribed_rest() -> None:
    slow = RoutineItem(**{**ROTATION.__dict__, "rest_seconds": 8})
    switches = [s for s in compile_timeline([slow]).steps if s.kind is StepKind.SWITCH_SIDE]
    assert {switch.seconds for switch in switches} == {8}
    assert switches[0].cue == "Release, and over to the right"


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
    with pytest.raises(ValueError, match="switch_seconds must be at least 1"):
        compile_timeline([ROTATION], switch_seconds=0)


def test_a_timeline_whose_total_disagrees_with_its_steps_is_refused() -> None:
    data = compile_timeline([CHILDS_POSE]).to_json()
    data["total_seconds"] += 1
    with pytest.raises(ValueError, match="add up to"):
        Timeline.from_json(data)
