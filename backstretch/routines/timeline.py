"""Compile a routine into the timed steps a player speaks and counts down.

Pure: no Django imports. The timeline is compiled once, here, and shipped as JSON; the
browser player and the terminal player only play it (see DESIGN.md). It is written for
someone lying on a bed with their eyes closed: every step says what to do next, in words.

What a routine becomes, exercise by exercise::

    [next]  intro  move_in hold  (rest move_in hold)*  [switch_side move_in hold ...]  ...  done

* ``next`` is the transition between exercises ("Next: Child's pose, on the floor."). It
  carries the upcoming exercise, so a player can already show its picture.
* ``intro`` says the starting position as a sentence ("Lie on your back on a mat, with your
  knees bent"), what to have ready ("You need a mat and a towel.", unless an earlier exercise
  asked for it) and the clinician's note.
  It lasts as long as the words take plus the position's ``settle_seconds``: time to get into
  the starting position.
* ``move_in`` says the position's cue ("Lean forward from your hips with a flat back"; the
  first one of a sided exercise says the side first: "Left leg straight first. Lean...") and
  gives ``move_in_seconds`` to get into the stretch, so a hold's seconds are all held. Like
  every step that asks for a movement, it never ends before its words do.
* ``hold`` is one held repetition; ``side`` is "left"/"right" for sided exercises, else None,
  and ``rep`` counts 1..repetitions on each side. Its cue names the side as people say it
  ("Hold. Left leg behind, 2 of 5").
* ``rest`` ("Release") sits between repetitions on the same side, when the rest is not 0 s.
* ``switch_side``: for ``each``, once, between the last left hold and the first right one,
  saying how to move over ("Sit up, and swap legs, so your right leg is straight"); it lasts
  the position's ``switch_seconds`` (turning over on a bed takes time). For ``alternating``
  (left, right, left...) the change-over is itself the next hold's ``move_in``, with its side
  ("Back to the middle, then let your knees lower to the right"), lasting the rest plus the
  move-in. A switch or move-in's ``side`` is the side to move to, so a player can mirror the
  picture before the hold starts.
* ``activity``: a timed activity (walking, relaxed breathing: positions whose voice data has
  an ``activity`` verb) is never a "Hold": it says "Walk at an easy pace for 5 minutes", then
  marks each whole minute left ("3 minutes to go"), one step per mark.
* ``done`` closes the session with one phrase.

``get_ready`` (a "3, 2, 1" count-in) is no longer compiled: the move-in replaced it. The kind
stays known so sessions stored before can be read.

Durations (seconds): ``next`` ``transition_seconds`` (3), an intro at least ``intro_seconds``
(6), ``done`` 3, and the rest from the data (see library/schema.py's ``Voice``). An intro is
never cut off mid-sentence: its words take ``WORDS_PER_SECOND`` (an unhurried pace).

Language: fixed phrases are English format strings marked with ``gettext_noop`` (so Django's
``makemessages`` finds them) and passed through the optional ``translate`` callable before
formatting; the Django layer passes ``gettext``. Exercise names, postures, cues, side names
and notes come from the data files and are used as given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
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
    GET_READY = "get_ready"  # no longer compiled; kept so stored sessions still read
    MOVE_IN = "move_in"
    HOLD = "hold"
    ACTIVITY = "activity"
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

# How a position reads after the exercise name: "Next: Hamstring stretch, on the bed."
POSITION_PHRASES: Mapping[str, str] = {
    "floor": gettext_noop("on the floor"),
    "bed": gettext_noop("on the bed"),
    "chair": gettext_noop("in a chair"),
    "standing": gettext_noop("on your feet"),
}
# What to have ready (library/schema.py's Need), as the introduction says it.
NEED_PHRASES: Mapping[str, str] = {
    "mat": gettext_noop("a mat"),
    "towel": gettext_noop("a towel or a belt"),
    "pillow": gettext_noop("a pillow"),
    "cushion": gettext_noop("a cushion or a folded towel"),
    "chair": gettext_noop("a steady chair"),
    "wall": gettext_noop("a wall"),
    "band": gettext_noop("a light exercise band"),
    "shoes": gettext_noop("comfortable shoes"),
}

INTRO_TEXT = gettext_noop("{name}. {posture}.")
INTRO_PLAIN_TEXT = gettext_noop("{name}, {position}.")  # for an item without voice data
NEEDS_TEXT = gettext_noop("You need {things}.")
AND_TEXT = gettext_noop("{first} and {last}")
FIRST_SIDE_TEXT = gettext_noop("{side} first.")
MOVE_IN_TEXT = gettext_noop("{cue}.")
HOLD_TEXT = gettext_noop("Hold. {rep} of {count}")
HOLD_SIDE_TEXT = gettext_noop("Hold. {side}, {rep} of {count}")
LEFT_SIDE_TEXT = gettext_noop("left side")  # for an item without side words
RIGHT_SIDE_TEXT = gettext_noop("right side")
REST_TEXT = gettext_noop("Release")
SWITCH_TO_LEFT_TEXT = gettext_noop("Switch to your left side")
SWITCH_TO_RIGHT_TEXT = gettext_noop("Switch to your right side")
ACTIVITY_TEXT = gettext_noop("{activity} for {duration}.")
MINUTES_TEXT = gettext_noop("{n} minutes")
ONE_MINUTE_TEXT = gettext_noop("1 minute")
SECONDS_TEXT = gettext_noop("{n} seconds")
MINUTES_SECONDS_TEXT = gettext_noop("{minutes} and {seconds}")
MINUTES_LEFT_TEXT = gettext_noop("{n} minutes to go.")
ONE_MINUTE_LEFT_TEXT = gettext_noop("1 minute to go.")
NEXT_TEXT = gettext_noop("Next: {name}, {position}.")
DONE_TEXT = gettext_noop("Well done: that is all for today.")


@dataclass(frozen=True)
class ItemVoice:
    """What the voice says for one exercise in one position (library/schema.py's ``Voice``)."""

    posture: str = ""  # the starting position as one sentence
    needs: tuple[str, ...] = ()  # NEED_PHRASES keys
    settle_seconds: int = 5  # after the intro, to get into the starting position
    move_in_seconds: int = 3  # after the cue, to get into the stretch before the hold
    left: str = ""  # "left leg behind"
    right: str = ""
    to_left: str = ""  # "Sit up, and swap legs, so your left leg is straight"
    to_right: str = ""
    switch_seconds: int = 5  # ``each``: time to move over to the other side
    activity: str = ""  # a timed activity's verb: "Walk at an easy pace"


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
    cue: str  # the position's key instruction, spoken as each hold's move-in
    note: str = ""  # the clinician's note, spoken at the end of the intro
    voice: ItemVoice = field(default_factory=ItemVoice)


@dataclass(frozen=True)
class Step:
    kind: StepKind
    exercise: str | None  # slug; None only for ``done``
    position: str | None
    side: str | None  # holds: the side held; switch_side, move_in: the side to move to
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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    voice = item.voice
    for name in ("settle_seconds", "move_in_seconds", "switch_seconds"):
        if getattr(voice, name) < 1:
            raise ValueError(f"{where}: voice {name} must be at least 1")


def is_timed_activity(item: RoutineItem) -> bool:
    """Walking, breathing: said as "Walk for 5 minutes", never as a hold."""
    return bool(item.voice.activity)


def _hold_order(item: RoutineItem) -> Sequence[tuple[str | None, int]]:
    """(side, rep) of every hold, in the order they are done."""
    reps = range(1, item.repetitions + 1)
    if item.sides == SIDES_EACH:
        return [(LEFT, rep) for rep in reps] + [(RIGHT, rep) for rep in reps]
    if item.sides == SIDES_ALTERNATING:
        return [(side, rep) for rep in reps for side in (LEFT, RIGHT)]
    return [(None, rep) for rep in reps]


def _side_name(voice: ItemVoice, side: str, translate: Callable[[str], str]) -> str:
    given = voice.left if side == LEFT else voice.right
    return given or translate(LEFT_SIDE_TEXT if side == LEFT else RIGHT_SIDE_TEXT)


def side_names(voice: ItemVoice, translate: Callable[[str], str]) -> dict[str, str]:
    """Each side as the voice names it at a hold, capitalised for a screen: {"left": "Left leg
    behind", "right": ...}; "Left side" and "Right side" when the exercise gives no words."""
    return {side: _capital(_side_name(voice, side, translate)) for side in (LEFT, RIGHT)}


def _move_over(item: RoutineItem, side: str, translate: Callable[[str], str]) -> str:
    given = item.voice.to_left if side == LEFT else item.voice.to_right
    if given:
        return f"{_sentence(given)}."
    return translate(SWITCH_TO_LEFT_TEXT if side == LEFT else SWITCH_TO_RIGHT_TEXT)


def things_to_have(needs: Sequence[str], translate: Callable[[str], str] = _identity) -> str:
    """ "a mat, a towel or a belt and a steady chair": what ``needs`` asks to have ready."""
    words = [translate(NEED_PHRASES.get(need, need)) for need in needs]
    if len(words) == 1:
        return words[0]
    return translate(AND_TEXT).format(first=", ".join(words[:-1]), last=words[-1])


def intro_text(
    item: RoutineItem,
    translate: Callable[[str], str] = _identity,
    ready: Collection[str] = (),
) -> str:
    """The introduction: starting position, what to have ready (but not what an earlier
    exercise already asked for, in ``ready``), the clinician's note."""
    voice = item.voice
    if voice.posture:
        parts = [translate(INTRO_TEXT).format(name=_sentence(item.name), posture=voice.posture)]
    else:
        position = translate(POSITION_PHRASES.get(item.position, item.position))
        parts = [translate(INTRO_PLAIN_TEXT).format(name=_sentence(item.name), position=position)]
    needs = [need for need in voice.needs if need not in ready]
    if needs:
        parts.append(translate(NEEDS_TEXT).format(things=things_to_have(needs, translate)))
    if item.note.strip():
        parts.append(item.note.strip())
    return " ".join(parts)


def duration_words(seconds: int, translate: Callable[[str], str] = _identity) -> str:
    """ "5 minutes", "1 minute", "45 seconds", "2 minutes and 30 seconds"."""
    minutes, leftover = divmod(seconds, 60)
    if minutes == 0:
        return translate(SECONDS_TEXT).format(n=leftover)
    said = translate(ONE_MINUTE_TEXT) if minutes == 1 else translate(MINUTES_TEXT).format(n=minutes)
    if leftover == 0:
        return said
    return translate(MINUTES_SECONDS_TEXT).format(
        minutes=said, seconds=translate(SECONDS_TEXT).format(n=leftover)
    )


@dataclass(frozen=True)
class _Durations:
    intro: int
    transition: int
    done: int


def _activity_steps(item: RoutineItem, translate: Callable[[str], str]) -> list[Step]:
    """A timed activity: its length said once, then a step at each whole minute left."""

    def step(kind: StepKind, seconds: int, cue: str) -> Step:
        return Step(kind, item.exercise, item.position, None, None, seconds, cue)

    steps = []
    total = item.hold_seconds
    first = total - 60 * ((total - 1) // 60)  # until the first whole minute left
    for rep in range(item.repetitions):
        if rep > 0 and item.rest_seconds > 0:
            steps.append(step(StepKind.REST, item.rest_seconds, translate(REST_TEXT)))
        words = translate(ACTIVITY_TEXT).format(
            activity=_sentence(item.voice.activity), duration=duration_words(total, translate)
        )
        steps.append(step(StepKind.ACTIVITY, first, words))
        for left in range((total - first) // 60, 0, -1):
            mark = ONE_MINUTE_LEFT_TEXT if left == 1 else MINUTES_LEFT_TEXT
            steps.append(step(StepKind.ACTIVITY, 60, translate(mark).format(n=left)))
    return steps


def _exercise_steps(
    item: RoutineItem,
    durations: _Durations,
    translate: Callable[[str], str],
    ready: Collection[str] = (),
) -> list[Step]:
    """intro, then each hold after its move-in, with rests and side switches, for one item."""
    voice = item.voice

    def step(kind: StepKind, seconds: int, cue: str, side: str | None = None) -> Step:
        return Step(kind, item.exercise, item.position, side, None, seconds, cue)

    intro = intro_text(item, translate, ready)
    intro_seconds = max(durations.intro, spoken_seconds(intro) + voice.settle_seconds)
    steps = [step(StepKind.INTRO, intro_seconds, intro)]
    if is_timed_activity(item):
        return steps + _activity_steps(item, translate)
    move_in = translate(MOVE_IN_TEXT).format(cue=_sentence(item.cue))

    def moving(kind: StepKind, least: int, words: str, side: str | None) -> Step:
        # Never shorter than the words: the next cue would cut them off.
        return step(kind, max(least, spoken_seconds(words)), words, side)

    previous_side: str | None = None
    for number, (side, rep) in enumerate(_hold_order(item)):
        if number == 0 and side is not None:
            first = translate(FIRST_SIDE_TEXT).format(
                side=_capital(_side_name(item.voice, side, translate))
            )
            steps.append(
                moving(StepKind.MOVE_IN, voice.move_in_seconds, f"{first} {move_in}", side)
            )
        elif number > 0 and side != previous_side and side is not None:
            words = _move_over(item, side, translate)
            if item.sides == SIDES_ALTERNATING:
                # Releasing and moving over to the other side are one movement: the move-in.
                least = item.rest_seconds + voice.move_in_seconds
                steps.append(moving(StepKind.MOVE_IN, least, words, side))
            else:
                steps.append(moving(StepKind.SWITCH_SIDE, voice.switch_seconds, words, side))
                steps.append(moving(StepKind.MOVE_IN, voice.move_in_seconds, move_in, side))
        else:
            if number > 0 and item.rest_seconds > 0:
                steps.append(step(StepKind.REST, item.rest_seconds, translate(REST_TEXT)))
            steps.append(moving(StepKind.MOVE_IN, voice.move_in_seconds, move_in, side))
        if side is None:
            cue = translate(HOLD_TEXT).format(rep=rep, count=item.repetitions)
        else:
            name = _capital(_side_name(item.voice, side, translate))
            cue = translate(HOLD_SIDE_TEXT).format(side=name, rep=rep, count=item.repetitions)
        steps.append(
            Step(StepKind.HOLD, item.exercise, item.position, side, rep, item.hold_seconds, cue)
        )
        previous_side = side
    return steps


# A patient's pace (PatientProfile.pace): how much longer holds and the time to get into
# position, move, release and change sides last. Timed activities keep their minutes (their
# cues say them), and the number of steps never changes, so a session saves the same way.
PACES: Mapping[str, float] = {"usual": 1.0, "slower": 1.5}
PACED_KINDS = frozenset(
    {StepKind.INTRO, StepKind.MOVE_IN, StepKind.HOLD, StepKind.REST, StepKind.SWITCH_SIDE}
    | {StepKind.NEXT}
)


def _at_pace(step: Step, factor: float) -> Step:
    if factor == 1.0 or step.kind not in PACED_KINDS:
        return step
    return replace(step, seconds=math.ceil(step.seconds * factor))


def compile_timeline(
    items: Sequence[RoutineItem],
    *,
    intro_seconds: int = 6,
    transition_seconds: int = 3,
    done_seconds: int = 3,
    translate: Callable[[str], str] = _identity,
    pace: str = "usual",
) -> Timeline:
    """Turn ``items`` into a Timeline at ``pace`` (PACES); raise ValueError on an empty
    routine or a bad dosage."""
    if not items:
        raise ValueError("a routine needs at least one exercise")
    durations = _Durations(intro=intro_seconds, transition=transition_seconds, done=done_seconds)
    for name, seconds in asdict(durations).items():
        # A zero-length step would be skipped by a player before its cue is heard.
        if seconds < 1:
            raise ValueError(f"{name}_seconds must be at least 1, got {seconds}")
    for index, item in enumerate(items):
        _check_item(index, item)

    steps: list[Step] = []
    ready: set[str] = set()  # what an earlier exercise already asked to have ready
    for index, item in enumerate(items):
        if index > 0:
            position = translate(POSITION_PHRASES.get(item.position, item.position))
            words = translate(NEXT_TEXT).format(name=_sentence(item.name), position=position)
            steps.append(
                Step(
                    kind=StepKind.NEXT,
                    exercise=item.exercise,
                    position=item.position,
                    side=None,
                    rep=None,
                    seconds=max(transition_seconds, spoken_seconds(words)),
                    cue=words,
                )
            )
        steps.extend(_exercise_steps(item, durations, translate, ready))
        ready.update(item.voice.needs)
    steps.append(Step(StepKind.DONE, None, None, None, None, done_seconds, translate(DONE_TEXT)))
    steps = [_at_pace(step, PACES[pace]) for step in steps]
    return Timeline(steps=tuple(steps), total_seconds=sum(step.seconds for step in steps))


def format_clock(seconds: int) -> str:
    """``seconds`` as minutes:seconds, e.g. 206 -> "3:26"."""
    minutes, leftover = divmod(seconds, 60)
    return f"{minutes}:{leftover:02d}"
