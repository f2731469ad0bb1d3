"""Compile a routine into the timed steps a player speaks and counts down.

Pure: no Django imports. The timeline is compiled once, here, and shipped as JSON; the
browser player and the terminal player only play it (see DESIGN.md).

What a routine becomes, exercise by exercise::

    [next]  intro  get_ready  hold (rest hold)* [switch_side  hold (rest hold)*]  ...  done

* ``intro`` announces the exercise: name, position and its key instruction, plus the
  clinician's note when there is one.
* ``get_ready`` is a short count-in before the first hold.
* ``hold`` is one held repetition; ``side`` is "left"/"right" for sided exercises, else None,
  and ``rep`` counts 1..repetitions on each side.
* ``rest`` ("Release") sits between repetitions on the same side. It is left out when the
  prescribed rest is 0 s, and never follows the last hold of an exercise: the next step
  (switch, transition or done) already gives the body its break.
* ``switch_side``: for ``each``, once, between the last left hold and the first right hold
  ("Switch to your right side"). For ``alternating`` (left, right, left, right...) between
  every pair of holds ("Release, and over to the right"): the release and the move to the
  other side happen together, so it replaces the rest. Its ``side`` is the side to move to,
  so a player can mirror the picture before the hold starts.
* ``next`` is the transition between exercises ("Next: Child's pose"): time to move into the
  next starting position before its intro. It carries the upcoming exercise, so a player
  can already show its picture.
* ``done`` closes the session.

Durations (seconds), all overridable through ``compile_timeline``'s keyword arguments:

================  ===  ========================================================
intro             6    at least; longer when the spoken text needs it (see below)
get_ready         3    "Get ready… 3, 2, 1": one number a second
hold              -    the prescribed ``hold_seconds``
rest              -    the prescribed ``rest_seconds``
switch_side       5    ``each``: time to turn over or swap legs
alternate switch  3    ``alternating``: at least this, and at least the prescribed rest
next              5    time to change starting position between exercises
done              3
================  ===  ========================================================

An intro is never cut off mid-sentence: it lasts ``intro_seconds`` or the time the voice
needs to say it at ``WORDS_PER_SECOND`` (an unhurried speaking pace), whichever is longer.

Language: fixed phrases are English format strings marked with ``gettext_noop`` (so Django's
``makemessages`` finds them) and passed through the optional ``translate`` callable before
formatting; the Django layer passes ``gettext``. Exercise names, cues and notes come from the
data files and are used as given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

WORDS_PER_SECOND = 2.5  # a calm spoken pace; how long an intro must last to be heard in full


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (keeps this module Django-free)."""
    return message


def _identity(message: str) -> str:
    return message


class StepKind(StrEnum):
    INTRO = "intro"
    GET_READY = "get_ready"
    HOLD = "hold"
    REST = "rest"
    SWITCH_SIDE = "switch_side"
    NEXT = "next"
    DONE = "done"


LEFT = "left"
RIGHT = "right"
SIDES_NONE = "none"
SIDES_EACH = "each"
SIDES_ALTERNATING = "alternating"
KNOWN_SIDES = (SIDES_NONE, SIDES_EACH, SIDES_ALTERNATING)

# How a position reads after the exercise name: "Hamstring stretch, on the bed."
POSITION_PHRASES: Mapping[str, str] = {
    "floor": gettext_noop("on the floor"),
    "bed": gettext_noop("on the bed"),
    "chair": gettext_noop("in a chair"),
    "standing": gettext_noop("standing"),
}

INTRO_TEXT = gettext_noop("{name}, {position}. {cue}.")
GET_READY_TEXT = gettext_noop("Get ready… {countdown}")
HOLD_TEXT = gettext_noop("Hold. {rep} of {count}")
HOLD_LEFT_TEXT = gettext_noop("Hold. Left side, {rep} of {count}")
HOLD_RIGHT_TEXT = gettext_noop("Hold. Right side, {rep} of {count}")
REST_TEXT = gettext_noop("Release")
SWITCH_TO_LEFT_TEXT = gettext_noop("Switch to your left side")
SWITCH_TO_RIGHT_TEXT = gettext_noop("Switch to your right side")
ALTERNATE_TO_LEFT_TEXT = gettext_noop("Release, and over to the left")
ALTERNATE_TO_RIGHT_TEXT = gettext_noop("Release, and over to the right")
NEXT_TEXT = gettext_noop("Next: {name}")
DONE_TEXT = gettext_noop("Done. Well done for today.")

# The count-in says at most this many numbers, however long get_ready lasts.
LONGEST_COUNTDOWN = 5


@dataclass(frozen=True)
class RoutineItem:
    """One exercise of a routine, with the dosage already resolved for its position."""

    exercise: str  # the exercise's slug
    name: str
    position: str  # floor | bed | chair | standing
    hold_seconds: int
    repetitions: int
    sides: str  # none | each | alternating
    rest_seconds: int
    cue: str  # the position's key instruction, spoken in the intro
    note: str = ""  # the clinician's note, spoken after the cue


@dataclass(frozen=True)
class Step:
    kind: StepKind
    exercise: str | None  # slug; None only for ``done``
    position: str | None
    side: str | None  # holds: the side held; switch_side: the side to move to; else None
    rep: int | None  # 1..repetitions for holds (per side); None for every other step
    seconds: int
    cue: str  # the words a voice says as the step starts


JSON_STEP_KEYS = ("kind", "exercise", "position", "side", "rep", "seconds", "cue")


@dataclass(frozen=True)
class Timeline:
    steps: tuple[Step, ...]
    total_seconds: int

    def __post_init__(self) -> None:
        # A total that disagrees with its steps would show the patient a wrong time left.
        total = sum(step.seconds for step in self.steps)
        if self.total_seconds != total:
            raise ValueError(
                f"total_seconds is {self.total_seconds} but the steps add up to {total}"
            )

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready form a player receives; ``from_json`` reads it back."""
        steps = []
        for step in self.steps:
            data = asdict(step)
            data["kind"] = step.kind.value
            steps.append({key: data[key] for key in JSON_STEP_KEYS})
        return {"total_seconds": self.total_seconds, "steps": steps}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Timeline:
        steps = tuple(
            Step(
                kind=StepKind(raw["kind"]),
                exercise=raw["exercise"],
                position=raw["position"],
                side=raw["side"],
                rep=raw["rep"],
                seconds=raw["seconds"],
                cue=raw["cue"],
            )
            for raw in data["steps"]
        )
        return cls(steps=steps, total_seconds=data["total_seconds"])


def spoken_seconds(text: str) -> int:
    """Whole seconds a voice needs to say ``text`` at WORDS_PER_SECOND."""
    return math.ceil(len(text.split()) / WORDS_PER_SECOND)


def _sentence(text: str) -> str:
    """``text`` without its closing full stop, so templates can add exactly one."""
    return text.strip().rstrip(".")


def _check_item(index: int, item: RoutineItem) -> None:
    where = f"item {index} ({item.exercise})"
    if item.sides not in KNOWN_SIDES:
        raise ValueError(
            f"{where}: sides must be one of {', '.join(KNOWN_SIDES)}, got {item.sides!r}"
        )
    if item.hold_seconds < 1:
        raise ValueError(f"{where}: hold_seconds must be at least 1, got {item.hold_seconds}")
    if item.repetitions < 1:
        raise ValueError(f"{where}: repetitions must be at least 1, got {item.repetitions}")
    if item.rest_seconds < 0:
        raise ValueError(f"{where}: rest_seconds cannot be negative, got {item.rest_seconds}")


def _hold_order(item: RoutineItem) -> Sequence[tuple[str | None, int]]:
    """(side, rep) of every hold, in the order they are done."""
    reps = range(1, item.repetitions + 1)
    if item.sides == SIDES_EACH:
        return [(LEFT, rep) for rep in reps] + [(RIGHT, rep) for rep in reps]
    if item.sides == SIDES_ALTERNATING:
        return [(side, rep) for rep in reps for side in (LEFT, RIGHT)]
    return [(None, rep) for rep in reps]


@dataclass(frozen=True)
class _Durations:
    get_ready: int
    intro: int
    switch: int
    alternate_switch: int
    transition: int
    done: int


def _exercise_steps(
    item: RoutineItem, durations: _Durations, translate: Callable[[str], str]
) -> list[Step]:
    """intro, get_ready, then the holds with their rests and side switches, for one item."""

    def step(kind: StepKind, seconds: int, cue: str, side: str | None = None) -> Step:
        return Step(kind, item.exercise, item.position, side, None, seconds, cue)

    position = translate(POSITION_PHRASES.get(item.position, item.position))
    intro = translate(INTRO_TEXT).format(
        name=_sentence(item.name), position=position, cue=_sentence(item.cue)
    )
    if item.note.strip():
        intro = f"{intro} {item.note.strip()}"
    countdown = ", ".join(str(n) for n in range(min(durations.get_ready, LONGEST_COUNTDOWN), 0, -1))
    steps = [
        step(StepKind.INTRO, max(durations.intro, spoken_seconds(intro)), intro),
        step(
            StepKind.GET_READY,
            durations.get_ready,
            translate(GET_READY_TEXT).format(countdown=countdown),
        ),
    ]
    previous_side: str | None = None
    for number, (side, rep) in enumerate(_hold_order(item)):
        if number > 0 and side != previous_side:
            # Alternating: releasing and rolling over are one movement, so the change-over
            # replaces the rest and is never shorter than it.
            if item.sides == SIDES_ALTERNATING:
                text = ALTERNATE_TO_RIGHT_TEXT if side == RIGHT else ALTERNATE_TO_LEFT_TEXT
                seconds = max(durations.alternate_switch, item.rest_seconds)
            else:
                text = SWITCH_TO_RIGHT_TEXT if side == RIGHT else SWITCH_TO_LEFT_TEXT
                seconds = durations.switch
            steps.append(step(StepKind.SWITCH_SIDE, seconds, translate(text), side=side))
        elif number > 0 and item.rest_seconds > 0:
            steps.append(step(StepKind.REST, item.rest_seconds, translate(REST_TEXT)))
        text = {LEFT: HOLD_LEFT_TEXT, RIGHT: HOLD_RIGHT_TEXT}.get(side or "", HOLD_TEXT)
        cue = translate(text).format(rep=rep, count=item.repetitions)
        steps.append(
            Step(StepKind.HOLD, item.exercise, item.position, side, rep, item.hold_seconds, cue)
        )
        previous_side = side
    return steps


def compile_timeline(
    items: Sequence[RoutineItem],
    *,
    get_ready_seconds: int = 3,
    intro_seconds: int = 6,
    switch_seconds: int = 5,
    alternate_switch_seconds: int = 3,
    transition_seconds: int = 5,
    done_seconds: int = 3,
    translate: Callable[[str], str] = _identity,
) -> Timeline:
    """Turn ``items`` into a Timeline; raise ValueError on an empty routine or a bad dosage."""
    if not items:
        raise ValueError("a routine needs at least one exercise")
    durations = _Durations(
        get_ready=get_ready_seconds,
        intro=intro_seconds,
        switch=switch_seconds,
        alternate_switch=alternate_switch_seconds,
        transition=transition_seconds,
        done=done_seconds,
    )
    for name, seconds in asdict(durations).items():
        # A zero-length step would be skipped by a player before its cue is heard.
        if seconds < 1:
            raise ValueError(f"{name}_seconds must be at least 1, got {seconds}")
    for index, item in enumerate(items):
        _check_item(index, item)

    steps: list[Step] = []
    for index, item in enumerate(items):
        if index > 0:
            transition = Step(
                kind=StepKind.NEXT,
                exercise=item.exercise,
                position=item.position,
                side=None,
                rep=None,
                seconds=transition_seconds,
                cue=translate(NEXT_TEXT).format(name=item.name),
            )
            steps.append(transition)
        steps.extend(_exercise_steps(item, durations, translate))
    steps.append(Step(StepKind.DONE, None, None, None, None, done_seconds, translate(DONE_TEXT)))
    return Timeline(steps=tuple(steps), total_seconds=sum(step.seconds for step in steps))


def format_clock(seconds: int) -> str:
    """``seconds`` as minutes:seconds, e.g. 206 -> "3:26"."""
    minutes, leftover = divmod(seconds, 60)
    return f"{minutes}:{leftover:02d}"
