"""The bad-day routine: a 2–3 minute version of the patient's own routine. Pure, no Django.

On a bad day the short version beats skipping. It keeps the routine's first exercises in
order, does each from bed when the exercise has a bed position, and asks for fewer and shorter
holds, stopping before the compiled timeline passes ``MAX_SECONDS``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from backstretch.routines.timeline import ItemVoice, RoutineItem, compile_timeline

BAD_DAY_PARAMETER = "bad-day"  # /today/play/?version=bad-day plays the short version
MAX_SECONDS = 180  # three minutes of compiled time, intros and transitions included
MAX_REPETITIONS = 3
MAX_HOLD_SECONDS = 20
MAX_REST_SECONDS = 5


@dataclass(frozen=True)
class BedOption:
    """An exercise's bed position: its spoken cue and its default dosage."""

    cue: str
    hold_seconds: int
    sides: str
    rest_seconds: int
    voice: ItemVoice = field(default_factory=ItemVoice)


def shorten(item: RoutineItem, bed: BedOption | None) -> RoutineItem:
    """``item`` from bed (when possible) with about half the repetitions and shorter holds."""
    if bed is not None and item.position != "bed":
        # The clinician's note was written for the other position, so it is left out.
        item = replace(
            item,
            position="bed",
            cue=bed.cue,
            hold_seconds=bed.hold_seconds,
            sides=bed.sides,
            rest_seconds=bed.rest_seconds,
            voice=bed.voice,
            note="",
        )
    return replace(
        item,
        repetitions=max(1, min(MAX_REPETITIONS, math.ceil(item.repetitions / 2))),
        hold_seconds=min(item.hold_seconds, MAX_HOLD_SECONDS),
        rest_seconds=min(item.rest_seconds, MAX_REST_SECONDS),
    )


def _seconds(items: Sequence[RoutineItem]) -> int:
    return compile_timeline(items).total_seconds


def bad_day_items(
    items: Sequence[RoutineItem],
    bed_options: Mapping[str, BedOption],
    max_seconds: int = MAX_SECONDS,
) -> list[RoutineItem]:
    """The first exercises of ``items``, shortened, that fit in ``max_seconds`` of timeline.

    Always at least one exercise (with a single repetition if even that is long).
    """
    if not items:
        raise ValueError("a routine needs at least one exercise")
    chosen: list[RoutineItem] = []
    for item in items:
        short = shorten(item, bed_options.get(item.exercise))
        if _seconds([*chosen, short]) <= max_seconds:
            chosen.append(short)
            continue
        single = replace(short, repetitions=1)
        if not chosen or _seconds([*chosen, single]) <= max_seconds:
            chosen.append(single)
        break
    return chosen
