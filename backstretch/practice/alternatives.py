"""What the player may offer when an exercise hurts: a gentler position or a shorter hold.

Pure: no Django imports. The server compiles every alternative once, with the same timeline
compiler as the routine itself, and ships the steps to the player; the browser only swaps
them in (it never recomputes a timeline).

For each item of a routine the player receives, per position it may end up in (the
prescribed one and every gentler one the exercise has)::

    {"steps": [...],               # that exercise alone in that position, without "done"
     "hold_seconds": 5,
     "gentler": ["bed"],           # positions gentler than this one, gentlest first
     "shorter": {"hold_seconds": 2, "steps": [...]} | None}

A gentler position uses that position's own dosage (hold and rest) but keeps the prescribed
repetitions and sides, so "Left side, 3 of 5" still means the same thing after a switch. A
shorter hold halves the hold, never below ``SHORTEST_HOLD`` seconds, and is offered only when
it really is shorter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from backstretch.routines.timeline import ItemVoice, RoutineItem, StepKind, compile_timeline

# Gentlest first: lying on a bed asks least of a sore back, standing asks most.
GENTLENESS = ("bed", "chair", "floor", "standing")
SHORTEST_HOLD = 2


@dataclass(frozen=True)
class PositionDosage:
    """What one position of an exercise brings to an alternative: its own dosage and cue."""

    hold_seconds: int
    rest_seconds: int
    cue: str
    voice: ItemVoice = field(default_factory=ItemVoice)


def _rank(position: str) -> int:
    return GENTLENESS.index(position) if position in GENTLENESS else len(GENTLENESS)


def gentler_positions(current: str, available: Iterable[str]) -> list[str]:
    """Positions in ``available`` gentler than ``current``, gentlest first."""
    limit = _rank(current)
    return sorted((p for p in set(available) if _rank(p) < limit), key=_rank)


def shorter_hold(hold_seconds: int) -> int | None:
    """Half the hold (at least SHORTEST_HOLD s), or None when that would not be shorter."""
    shorter = max(SHORTEST_HOLD, hold_seconds // 2)
    return shorter if shorter < hold_seconds else None


def segment(
    item: RoutineItem, translate: Callable[[str], str], pace: str = "usual"
) -> list[dict[str, Any]]:
    """The steps of ``item`` alone (intro, count-in, holds) at ``pace``, without the closing
    "done"."""
    steps = compile_timeline([item], translate=translate, pace=pace).to_json()["steps"]
    return [step for step in steps if step["kind"] != StepKind.DONE.value]


def in_position(item: RoutineItem, position: str, dosage: PositionDosage) -> RoutineItem:
    """``item`` moved to ``position``: that position's hold, rest, cue and voice; same reps
    and sides."""
    return replace(
        item,
        position=position,
        hold_seconds=dosage.hold_seconds,
        rest_seconds=dosage.rest_seconds,
        cue=dosage.cue,
        voice=dosage.voice,
    )


def _choice(
    item: RoutineItem, gentler: list[str], translate: Callable[[str], str], pace: str
) -> dict[str, Any]:
    hold = shorter_hold(item.hold_seconds)
    shorter = None
    if hold is not None:
        shorter = {
            "hold_seconds": hold,
            "steps": segment(replace(item, hold_seconds=hold), translate, pace),
        }
    return {
        "hold_seconds": item.hold_seconds,
        "steps": segment(item, translate, pace),
        "gentler": gentler,
        "shorter": shorter,
    }


def item_alternatives(
    item: RoutineItem,
    positions: Mapping[str, PositionDosage],
    translate: Callable[[str], str],
    pace: str = "usual",
) -> dict[str, Any]:
    """Everything the player may swap in for one routine item (see the module docstring), at
    the patient's ``pace``."""
    gentler = gentler_positions(item.position, positions)
    choices = {item.position: _choice(item, gentler, translate, pace)}
    for position in choices[item.position]["gentler"]:
        moved = in_position(item, position, positions[position])
        choices[position] = _choice(moved, gentler_positions(position, positions), translate, pace)
    return {"exercise": item.exercise, "position": item.position, "positions": choices}


def routine_alternatives(
    items: Sequence[RoutineItem],
    positions: Mapping[str, Mapping[str, PositionDosage]],
    translate: Callable[[str], str] = lambda text: text,
    pace: str = "usual",
) -> list[dict[str, Any]]:
    """One entry per routine item, in routine order; ``positions`` is keyed by exercise slug."""
    return [item_alternatives(item, positions[item.exercise], translate, pace) for item in items]


def figure_keys(alternatives: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Every (exercise, position) the player may show, each once, in routine order."""
    keys: dict[tuple[str, str], None] = {}
    for entry in alternatives:
        for position in entry["positions"]:
            keys[(entry["exercise"], position)] = None
    return list(keys)
