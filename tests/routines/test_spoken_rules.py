"""What a patient hears, read as text: can they follow it with their eyes closed?

Every shipped template, and every exercise in every position at its own dosage, is compiled
and its spoken words checked against the rules of issue 12: each exercise opens by saying
where and how to start, every hold is moved into before its seconds count, a timed activity
is never a "Hold", sides are named as people say them, and the session ends with one phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from backstretch.library.schema import Exercise, Position, Sides, load_library
from backstretch.routines.templates import TEMPLATES_DIR, item_voice, load_templates, resolve_items
from backstretch.routines.timeline import (
    DONE_TEXT,
    POSITION_PHRASES,
    RoutineItem,
    Step,
    StepKind,
    Timeline,
    compile_timeline,
)

LIBRARY = load_library()
TEMPLATES = load_templates(TEMPLATES_DIR, LIBRARY)
# The words that open a starting position a person can picture.
POSTURE_WORDS = re.compile(r"^(Lie|Sit|Kneel|Stand|Get onto your hands and knees)\b")
END_WORDS = re.compile(r"\b(done|well done|that is all|finished)\b", re.IGNORECASE)


def single(exercise: Exercise, position: Position) -> RoutineItem:
    dosage = exercise.dosage_for(position)
    variant = exercise.positions[position]
    return RoutineItem(
        exercise=exercise.slug,
        name=exercise.name,
        position=position.value,
        hold_seconds=dosage.hold_seconds,
        repetitions=dosage.repetitions,
        sides=dosage.sides.value,
        rest_seconds=dosage.rest_seconds,
        cue=variant.cue,
        voice=item_voice(variant),
    )


def routines() -> Iterator[tuple[str, list[RoutineItem]]]:
    for slug, template in sorted(TEMPLATES.items()):
        yield f"template {slug}", resolve_items(template, LIBRARY)
    for slug, exercise in sorted(LIBRARY.items()):
        for position in exercise.positions:
            yield f"{slug} {position.value}", [single(exercise, position)]


CASES = dict(routines())


def per_exercise(timeline: Timeline) -> list[list[Step]]:
    """Each exercise's steps, from its "next" (or first intro) up to the next one."""
    found: list[list[Step]] = []
    for step in timeline.steps:
        if step.kind is StepKind.DONE:
            break
        if step.kind is StepKind.NEXT or (step.kind is StepKind.INTRO and not found):
            found.append([])
        found[-1].append(step)
    return found


@pytest.fixture(params=sorted(CASES), ids=str)
def case(request: pytest.FixtureRequest) -> tuple[list[RoutineItem], list[list[Step]], Timeline]:
    items = CASES[request.param]
    timeline = compile_timeline(items)
    exercises = per_exercise(timeline)
    assert len(exercises) == len(items)
    return items, exercises, timeline


def test_every_exercise_opens_by_saying_where_and_how_to_start(case) -> None:
    items, exercises, _ = case
    asked: set[str] = set()
    for item, steps in zip(items, exercises, strict=True):
        first = steps[0]
        if first.kind is StepKind.NEXT:
            assert POSITION_PHRASES[item.position] in first.cue, first.cue
        intro = next(step for step in steps if step.kind is StepKind.INTRO)
        assert POSTURE_WORDS.match(item.voice.posture), item.voice.posture
        assert intro.cue.startswith(f"{item.name.rstrip('.')}. {item.voice.posture}.")
        # Each thing to have ready is said once, by the first exercise that needs it.
        new = [need for need in item.voice.needs if need not in asked]
        assert ("You need" in intro.cue) == bool(new), f"{item.exercise}: {intro.cue}"
        asked.update(item.voice.needs)


def test_no_hold_without_a_move_in_before_it(case) -> None:
    items, exercises, _ = case
    for item, steps in zip(items, exercises, strict=True):
        for index, step in enumerate(steps):
            if step.kind is StepKind.HOLD:
                before = steps[index - 1]
                assert before.kind is StepKind.MOVE_IN, f"{item.exercise}: {step.cue}"
                assert before.seconds >= item.voice.move_in_seconds


def test_timed_activities_never_say_hold_and_give_their_length(case) -> None:
    items, exercises, _ = case
    for item, steps in zip(items, exercises, strict=True):
        if not item.voice.activity:
            continue
        said = [step.cue for step in steps]
        assert not any(re.search(r"\bHold\b", cue) for cue in said), said
        assert not any(step.kind is StepKind.HOLD for step in steps)
        minutes = item.hold_seconds // 60
        if item.hold_seconds % 60 == 0 and minutes > 1:
            assert f"for {minutes} minutes." in said[-minutes]
            assert said[-1] == "1 minute to go."


def test_sides_are_named_as_people_say_them(case) -> None:
    items, exercises, _ = case
    for item, steps in zip(items, exercises, strict=True):
        for step in steps:
            if step.kind is StepKind.HOLD and step.side:
                named = item.voice.left if step.side == "left" else item.voice.right
                assert named and re.search(rf"\b{step.side}\b", named), item.exercise
                assert named[1:] in step.cue
                assert "Left side" not in step.cue and "Right side" not in step.cue
            moves_over = step.kind is StepKind.SWITCH_SIDE or (
                step.kind is StepKind.MOVE_IN and item.sides == "alternating"
            )
            if moves_over and step.side:
                assert re.search(rf"\b{step.side}\b", step.cue, re.IGNORECASE), step.cue


def test_the_session_ends_with_one_phrase(case) -> None:
    _, _, timeline = case
    done = [step for step in timeline.steps if step.kind is StepKind.DONE]
    assert [step.cue for step in done] == [DONE_TEXT]
    assert timeline.steps[-1] is done[0]
    assert not any(END_WORDS.search(step.cue) for step in timeline.steps[:-1])
    assert not any("Get ready" in step.cue for step in timeline.steps)


def test_the_hip_flexor_says_which_leg_is_behind() -> None:
    timeline = compile_timeline([single(LIBRARY["hip-flexor-stretch"], Position.FLOOR)])
    holds = [step.cue for step in timeline.steps if step.kind is StepKind.HOLD]
    assert holds[0] == "Hold. Left leg behind, 1 of 5"
    assert holds[-1] == "Hold. Right leg behind, 5 of 5"
    switch = next(step for step in timeline.steps if step.kind is StepKind.SWITCH_SIDE)
    assert "right leg is behind" in switch.cue


def test_moving_over_on_a_bed_gets_more_time_than_on_the_floor() -> None:
    def switch_seconds(position: Position) -> int:
        timeline = compile_timeline([single(LIBRARY["hip-flexor-stretch"], position)])
        switch = next(step for step in timeline.steps if step.kind is StepKind.SWITCH_SIDE)
        return switch.seconds

    assert switch_seconds(Position.BED) >= 15 > switch_seconds(Position.FLOOR)


def test_every_sided_position_in_the_library_names_its_sides() -> None:
    for exercise in LIBRARY.values():
        for position, variant in exercise.positions.items():
            if exercise.dosage_for(position).sides != Sides.NONE:
                assert variant.voice.missing_side_words() == [], f"{exercise.slug} {position}"
