"""The bad-day routine: a 2–3 minute version of the patient's own routine. Pure, no Django.

On a bad day the short version beats skipping. It keeps the routine's first exercises in
order, each in a place and a position someone in pain can get into, with fewer and shorter
holds, stopping before the compiled timeline passes ``MAX_SECONDS``.

Where each exercise is done (``bad_day_position``):

* Only on the bed or a chair: getting down to the floor and up again, or standing for long,
  is what a bad day makes hard.
* Only starting on the back, on the side or sitting (``EASY_POSTURES``): never on hands and
  knees, kneeling, face down or standing, on a bed or anywhere else.
* The exercise's own position when it already is such a place and posture; else its bed
  position, else its chair position, when that one is; else the exercise is left out.

If no exercise of the routine can be done that way, the short version is the ``fallback``
(slow breathing in bed, which everyone can do).
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
MAX_ACTIVITY_SECONDS = 60  # a timed activity (slow breathing) lasts a minute at most
MAX_REST_SECONDS = 5

BAD_DAY_PLACES = ("bed", "chair")  # in this order of preference
EASY_POSTURES = frozenset({"back", "side", "sitting"})


@dataclass(frozen=True)
class PositionOption:
    """One position of an exercise: where the body starts, its cue, default dosage and voice."""

    posture: str  # library.schema.StartingPosture value: "back", "hands-and-knees"...
    cue: str
    hold_seconds: int
    sides: str
    rest_seconds: int
    voice: ItemVoice = field(default_factory=ItemVoice)


def bad_day_position(item: RoutineItem, options: Mapping[str, PositionOption]) -> str | None:
    """Where ``item`` is done on a bad day (see the module docstring), or None to leave it out.

    ``options`` are the exercise's positions by name ("bed", "chair"...).
    """
    here = options.get(item.position)
    if item.position in BAD_DAY_PLACES and here is not None and here.posture in EASY_POSTURES:
        return item.position
    for place in BAD_DAY_PLACES:
        option = options.get(place)
        if option is not None and option.posture in EASY_POSTURES:
            return place
    return None


def shorten(item: RoutineItem, position: str, option: PositionOption | None) -> RoutineItem:
    """``item`` in ``position`` with about half the repetitions and shorter holds."""
    if position != item.position and option is not None:
        # The clinician's note was written for the other position, so it is left out.
        item = replace(
            item,
            position=position,
            cue=option.cue,
            hold_seconds=option.hold_seconds,
            sides=option.sides,
            rest_seconds=option.rest_seconds,
            voice=option.voice,
            note="",
        )
    longest = MAX_ACTIVITY_SECONDS if item.voice.activity else MAX_HOLD_SECONDS
    return replace(
        item,
        repetitions=max(1, min(MAX_REPETITIONS, math.ceil(item.repetitions / 2))),
        hold_seconds=min(item.hold_seconds, longest),
        rest_seconds=min(item.rest_seconds, MAX_REST_SECONDS),
    )


def _seconds(items: Sequence[RoutineItem]) -> int:
    return compile_timeline(items).total_seconds


def bad_day_items(
    items: Sequence[RoutineItem],
    options: Mapping[str, Mapping[str, PositionOption]],
    fallback: RoutineItem,
    max_seconds: int = MAX_SECONDS,
) -> list[RoutineItem]:
    """The first exercises of ``items`` that can be done on a bad day, shortened, that fit in
    ``max_seconds`` of timeline; ``options`` are each exercise's positions, by slug.

    Always at least one exercise (with a single repetition if even that is long): the
    ``fallback`` when none of ``items`` can be done on a bad day.
    """
    if not items:
        raise ValueError("a routine needs at least one exercise")
    chosen: list[RoutineItem] = []
    for item in items:
        positions = options.get(item.exercise, {})
        position = bad_day_position(item, positions)
        if position is None:
            continue
        short = shorten(item, position, positions.get(position))
        if _seconds([*chosen, short]) <= max_seconds:
            chosen.append(short)
            continue
        single = replace(short, repetitions=1)
        if not chosen or _seconds([*chosen, single]) <= max_seconds:
            chosen.append(single)
        break
    return chosen or [shorten(fallback, fallback.position, None)]
