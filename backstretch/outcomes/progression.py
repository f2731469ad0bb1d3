"""Progression that follows the pain: what to change in a routine after its recent sessions.

Pure: no Django imports. The service layer turns sessions and the routine's current version
into the dataclasses below, asks ``decide`` and stores what comes out.

The rules (NHS Inform's "add 1–2 repetitions every few days if comfortable", and "stop or
ease off when it gets worse"):

* **Flare** — the session just stored raised pain by ``FLARE_JUMP`` (2) points or more, or had
  a "this hurts" marked "a lot" or "sharp": propose one step **down** for the exercise that
  hurt (else the first one that can go down): a gentler position if it has one, else fewer
  repetitions, else a shorter hold. Sharp pain or a jump of 3 or more also asks for the
  red-flag questions again (``safety.stop_rules``, asked whatever the mode).
* **Calm** — ``sessions_needed`` completed sessions in a row (default 5) with pain after not
  above pain before and no "this hurts" at all, and no flare anywhere in the window: propose
  one step **up** for the first item still below its maxima: +1–2 repetitions when it is
  counted in repetitions (short holds), else +5 s hold; never beyond the clinician's maxima.
* Otherwise nothing. Sessions without both pain scores neither count nor break a run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backstretch.practice.alternatives import gentler_positions, shorter_hold
from backstretch.safety.stop_rules import needs_rescreen

FLARE_JUMP = 2
DEFAULT_SESSIONS_NEEDED = 5
HOLD_STEP = 5
REPS_STEP = 2
# An item whose hold is this short is counted in repetitions: a step up adds repetitions.
REPS_BASED_HOLD = 5
# Schema limits of a dosage (library/schema.py): a step never leaves them.
MAX_REPETITIONS = 50
MAX_HOLD_SECONDS = 900
FLARE_SEVERITIES = frozenset({"lot", "sharp"})


class Mode(StrEnum):
    OFF = "off"
    PROPOSE = "propose"
    AUTO = "auto"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class Cause(StrEnum):
    CALM = "calm"  # a run of sessions without more pain
    PAIN_JUMP = "pain_jump"  # pain after the session 2+ above pain before
    HURT = "hurt"  # "this hurts", a lot or sharp


@dataclass(frozen=True)
class Hurt:
    exercise: str
    position: str
    severity: str  # little | lot | sharp


@dataclass(frozen=True)
class SessionFacts:
    pain_before: int | None
    pain_after: int | None
    completed: bool
    hurts: tuple[Hurt, ...] = ()

    @property
    def jump(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def bad_hurts(self) -> tuple[Hurt, ...]:
        return tuple(h for h in self.hurts if h.severity in FLARE_SEVERITIES)

    @property
    def flare(self) -> bool:
        return (self.jump or 0) >= FLARE_JUMP or bool(self.bad_hurts)

    @property
    def needs_rescreen(self) -> bool:
        return needs_rescreen(self.pain_before, self.pain_after, (h.severity for h in self.hurts))

    @property
    def scored(self) -> bool:
        return self.jump is not None

    @property
    def calm(self) -> bool:
        return self.completed and self.scored and (self.jump or 0) <= 0 and not self.hurts


@dataclass(frozen=True)
class Dose:
    """An exercise position's default dosage from the library."""

    hold_seconds: int
    repetitions: int
    rest_seconds: int


@dataclass(frozen=True)
class ItemFacts:
    exercise: str
    position: str
    hold_seconds: int
    repetitions: int
    rest_seconds: int
    positions: Mapping[str, Dose] = field(default_factory=dict)  # every position it has

    @property
    def reps_based(self) -> bool:
        return self.hold_seconds <= REPS_BASED_HOLD


@dataclass(frozen=True)
class Limits:
    """The clinician's settings for one prescription; ``None`` maxima use the defaults."""

    sessions_needed: int = DEFAULT_SESSIONS_NEEDED
    max_repetitions: int | None = None
    max_hold_seconds: int | None = None


@dataclass(frozen=True)
class Change:
    """One item's dosage before and after; exactly one of position/reps/hold differs."""

    item_index: int
    exercise: str
    what: str  # "position" | "repetitions" | "hold_seconds"
    before: ItemFacts
    after: ItemFacts

    def as_dict(self) -> dict[str, Any]:
        return {
            "item_index": self.item_index,
            "exercise": self.exercise,
            "what": self.what,
            "before": dosage_of(self.before),
            "after": dosage_of(self.after),
        }


@dataclass(frozen=True)
class Proposal:
    direction: Direction
    cause: Cause
    change: Change | None  # None: a flare, but nothing left to make gentler
    rescreen: bool
    calm_sessions: int = 0
    trigger: SessionFacts | None = None


def dosage_of(item: ItemFacts) -> dict[str, Any]:
    return {
        "position": item.position,
        "hold_seconds": item.hold_seconds,
        "repetitions": item.repetitions,
        "rest_seconds": item.rest_seconds,
    }


def maxima(item: ItemFacts, limits: Limits) -> tuple[int, int]:
    """(most repetitions, longest hold) a step up may reach for ``item``.

    The clinician's values when set; else twice the library default of the item's position
    (never below what is prescribed now, so a default cap never forces a step down).
    """
    default = item.positions.get(item.position)
    if limits.max_repetitions is not None:
        reps = limits.max_repetitions
    else:
        base = default.repetitions if default else item.repetitions
        reps = max(item.repetitions, 2 * base)
    if limits.max_hold_seconds is not None:
        hold = limits.max_hold_seconds
    else:
        base = default.hold_seconds if default else item.hold_seconds
        hold = max(item.hold_seconds, 2 * base)
    return min(reps, MAX_REPETITIONS), min(hold, MAX_HOLD_SECONDS)


def _with(item: ItemFacts, **changes: Any) -> ItemFacts:
    values = dosage_of(item) | changes
    return ItemFacts(exercise=item.exercise, positions=item.positions, **values)


def step_up(item: ItemFacts, limits: Limits) -> tuple[str, ItemFacts] | None:
    """One step up for ``item`` within its maxima, or None when it is at them (or already
    beyond one, as when the clinician lowered a maximum below what is prescribed)."""
    most_reps, longest_hold = maxima(item, limits)
    if item.repetitions > most_reps or item.hold_seconds > longest_hold:
        return None
    more_reps = min(item.repetitions + REPS_STEP, most_reps)
    longer_hold = min(item.hold_seconds + HOLD_STEP, longest_hold)
    options = [
        ("repetitions", more_reps > item.repetitions, {"repetitions": more_reps}),
        ("hold_seconds", longer_hold > item.hold_seconds, {"hold_seconds": longer_hold}),
    ]
    if not item.reps_based:
        options.reverse()
    for what, possible, change in options:
        if possible:
            return what, _with(item, **change)
    return None


def step_down(item: ItemFacts) -> tuple[str, ItemFacts] | None:
    """One step down: the next gentler position, else fewer repetitions, else a shorter hold."""
    gentler = gentler_positions(item.position, item.positions)
    if gentler:
        position = gentler[-1]  # the nearest gentler one: one step, not all the way to bed
        dose = item.positions[position]
        return "position", _with(
            item,
            position=position,
            hold_seconds=min(item.hold_seconds, dose.hold_seconds),
            rest_seconds=dose.rest_seconds,
        )
    if item.repetitions > 1:
        fewer = item.repetitions - (REPS_STEP if item.repetitions > REPS_STEP + 1 else 1)
        return "repetitions", _with(item, repetitions=fewer)
    shorter = shorter_hold(item.hold_seconds)
    if shorter is not None:
        return "hold_seconds", _with(item, hold_seconds=shorter)
    return None


def calm_run(sessions: Sequence[SessionFacts]) -> int:
    """Calm completed sessions in a row at the end; unscored ones neither count nor break it."""
    run = 0
    for session in reversed(sessions):
        if session.calm:
            run += 1
        elif (session.completed and session.scored) or session.hurts or session.flare:
            break
    return run


def _flared_index(trigger: SessionFacts, items: Sequence[ItemFacts]) -> int:
    hurts = list(trigger.bad_hurts) + [h for h in trigger.hurts if h not in trigger.bad_hurts]
    for hurt in hurts:
        for index, item in enumerate(items):
            if (item.exercise, item.position) == (hurt.exercise, hurt.position):
                return index
        for index, item in enumerate(items):
            if item.exercise == hurt.exercise:
                return index
    return 0


def decide(
    sessions: Sequence[SessionFacts], items: Sequence[ItemFacts], limits: Limits
) -> Proposal | None:
    """What to change after ``sessions`` (oldest first; the last one was just stored).

    ``sessions`` are those since the routine's current version (or the clinician's last
    decision on a proposal), so a flare before that no longer holds progress back.
    """
    if not sessions or not items:
        return None
    trigger = sessions[-1]
    if trigger.flare:
        cause = Cause.HURT if trigger.bad_hurts else Cause.PAIN_JUMP
        first = _flared_index(trigger, items)
        change = None
        for index in [first, *(i for i in range(len(items)) if i != first)]:
            step = step_down(items[index])
            if step is not None:
                what, after = step
                change = Change(index, items[index].exercise, what, items[index], after)
                break
        return Proposal(Direction.DOWN, cause, change, trigger.needs_rescreen, trigger=trigger)
    if any(session.flare for session in sessions):
        return None
    run = calm_run(sessions)
    if run < max(1, limits.sessions_needed):
        return None
    for index, item in enumerate(items):
        step = step_up(item, limits)
        if step is not None:
            what, after = step
            change = Change(index, item.exercise, what, item, after)
            return Proposal(Direction.UP, Cause.CALM, change, False, run, trigger)
    return None


def apply_change(
    items: Sequence[Mapping[str, Any]], change: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Stored routine items with a stored change (``Change.as_dict()``) applied: a copy, in
    which only the changed item differs."""
    result = [dict(item) for item in items]
    result[change["item_index"]].update(change["after"])
    return result
