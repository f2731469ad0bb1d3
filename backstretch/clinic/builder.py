"""The prescription builder's rules: the draft in the form, its actions, validation and diffs.

Pure: no Django imports. The draft travels in the page as one set of inputs per item, so
every value is kept exactly as the clinician typed it until "Save" validates all of it. The
views turn ``Problem`` and ``Change`` into translated sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from backstretch.library.schema import Contraindication, Direction, Exercise, Position, Sides

MAX_ITEMS = 40
NOTE_LENGTH = 300
# The field name, and the inclusive limits of the library's Dosage.
LIMITS: dict[str, tuple[int, int]] = {
    "hold_seconds": (1, 900),
    "repetitions": (1, 50),
    "rest_seconds": (0, 300),
}
NUMBER_FIELDS = tuple(LIMITS)
# Avoiding a sensitivity also hides the exercises that move in that direction.
AVOID_DIRECTIONS: dict[str, str] = {
    Contraindication.FLEXION_SENSITIVE.value: Direction.FLEXION.value,
    Contraindication.EXTENSION_SENSITIVE.value: Direction.EXTENSION.value,
}


@dataclass(frozen=True)
class DraftItem:
    """One routine item as typed in the form: every value a string until it is validated."""

    exercise: str
    position: str
    hold_seconds: str
    repetitions: str
    sides: str
    rest_seconds: str
    note: str = ""


def new_item(exercise: Exercise, position: str | None = None) -> DraftItem:
    """The exercise in ``position`` (or its first one) with that position's default dosage."""
    chosen = (
        Position(position) if position in exercise.positions else next(iter(exercise.positions))
    )
    dosage = exercise.dosage_for(chosen)
    return DraftItem(
        exercise=exercise.slug,
        position=chosen.value,
        hold_seconds=str(dosage.hold_seconds),
        repetitions=str(dosage.repetitions),
        sides=Sides(dosage.sides).value,
        rest_seconds=str(dosage.rest_seconds),
    )


def draft_from_stored(items: Iterable[Mapping[str, Any]]) -> list[DraftItem]:
    return [
        DraftItem(
            exercise=str(item["exercise"]),
            position=str(item["position"]),
            hold_seconds=str(item["hold_seconds"]),
            repetitions=str(item["repetitions"]),
            sides=str(item["sides"]),
            rest_seconds=str(item["rest_seconds"]),
            note=str(item.get("note", "")),
        )
        for item in items
    ]


def read_draft(data: Mapping[str, str]) -> list[DraftItem]:
    """The items posted as ``item-<index>-<field>``, in index order (gaps are skipped)."""
    try:
        count = min(int(data.get("item_count", "0")), MAX_ITEMS)
    except ValueError:
        count = 0
    items = []
    for index in range(count):
        prefix = f"item-{index}-"
        exercise = data.get(prefix + "exercise", "").strip()
        if not exercise:
            continue
        items.append(
            DraftItem(
                exercise=exercise,
                position=data.get(prefix + "position", "").strip(),
                hold_seconds=data.get(prefix + "hold_seconds", "").strip(),
                repetitions=data.get(prefix + "repetitions", "").strip(),
                sides=data.get(prefix + "sides", "").strip(),
                rest_seconds=data.get(prefix + "rest_seconds", "").strip(),
                note=data.get(prefix + "note", "").strip(),
            )
        )
    return items


# --- actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The draft after an action, and the names of items that have no bed position."""

    items: list[DraftItem]
    without_bed: list[str] = field(default_factory=list)
    unknown: str = ""  # an exercise slug that "add" could not find


def move(items: Sequence[DraftItem], index: int, step: int) -> list[DraftItem]:
    """``items`` with one item moved by ``step`` places; out-of-range moves change nothing."""
    result = list(items)
    target = index + step
    if 0 <= index < len(result) and 0 <= target < len(result):
        result[index], result[target] = result[target], result[index]
    return result


def everything_from_bed(items: Sequence[DraftItem], catalogue: Mapping[str, Exercise]) -> Outcome:
    """Every item that has a bed position moves to bed, keeping its dosage; the names of those
    that have none are reported."""
    result, without = [], []
    for item in items:
        exercise = catalogue.get(item.exercise)
        if exercise is None or Position.BED not in exercise.positions:
            result.append(item)
            without.append(exercise.name if exercise else item.exercise)
        elif item.position == Position.BED.value:
            result.append(item)
        else:
            result.append(replace(item, position=Position.BED.value))
    return Outcome(result, without)


def apply_action(
    items: Sequence[DraftItem], action: str, catalogue: Mapping[str, Exercise]
) -> Outcome:
    """Apply one button of the builder (``add:<slug>``, ``up:2``, ``down:0``, ``remove:1``,
    ``bed``) to the draft; anything else leaves it as it is."""
    verb, _sep, argument = action.partition(":")
    if verb == "add":
        exercise = catalogue.get(argument)
        if exercise is None:
            return Outcome(list(items), unknown=argument)
        if len(items) >= MAX_ITEMS:
            return Outcome(list(items))
        return Outcome([*items, new_item(exercise)])
    if verb == "bed":
        return everything_from_bed(items, catalogue)
    try:
        index = int(argument)
    except ValueError:
        return Outcome(list(items))
    if verb == "up":
        return Outcome(move(items, index, -1))
    if verb == "down":
        return Outcome(move(items, index, 1))
    if verb == "remove":
        return Outcome([item for i, item in enumerate(items) if i != index])
    return Outcome(list(items))


# --- the picker's contraindication filter ------------------------------------------------------


class Avoidable(Protocol):
    @property
    def direction(self) -> str: ...
    @property
    def contraindications(self) -> list[str]: ...


def is_avoided(exercise: Avoidable, avoid: Iterable[str]) -> bool:
    """Whether the exercise carries one of the ``avoid`` tags (or moves in its direction)."""
    for tag in avoid:
        if tag in exercise.contraindications:
            return True
        if AVOID_DIRECTIONS.get(tag) == exercise.direction:
            return True
    return False


# --- validation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with one item (``index`` -1 = the routine as a whole)."""

    code: str  # "empty", "unknown", "position", "number", "range", "sides", "note",
    # "one_side_at_a_time", "both_sides_at_once"
    index: int = -1
    name: str = ""
    field: str = ""
    value: str = ""
    low: int = 0
    high: int = 0


def validate(
    items: Sequence[DraftItem], catalogue: Mapping[str, Exercise]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The items as stored (a dict of ITEM_KEYS each) when all is well, else the problems."""
    if not items:
        return [], [Problem("empty")]
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        exercise = catalogue.get(item.exercise)
        if exercise is None:
            problems.append(Problem("unknown", index, item.exercise, "exercise", item.exercise))
            continue
        name = exercise.name
        item_problems: list[Problem] = []
        position_known = item.position in {p.value for p in exercise.positions}
        if not position_known:
            item_problems.append(Problem("position", index, name, "position", item.position))
        numbers: dict[str, int] = {}
        for name_of_field in NUMBER_FIELDS:
            raw = getattr(item, name_of_field)
            low, high = LIMITS[name_of_field]
            try:
                number = int(raw)
            except ValueError:
                item_problems.append(Problem("number", index, name, name_of_field, raw, low, high))
                continue
            if not low <= number <= high:
                item_problems.append(Problem("range", index, name, name_of_field, raw, low, high))
            numbers[name_of_field] = number
        if item.sides not in {s.value for s in Sides}:
            item_problems.append(Problem("sides", index, name, "sides", item.sides))
        elif position_known and (
            mismatch := exercise.sides_mismatch(Position(item.position), Sides(item.sides))
        ):
            item_problems.append(Problem(mismatch, index, name, "sides"))
        if len(item.note) > NOTE_LENGTH:
            item_problems.append(
                Problem("note", index, name, "note", str(len(item.note)), 0, NOTE_LENGTH)
            )
        if item_problems:
            problems.extend(item_problems)
            continue
        clean.append(
            {
                "exercise": exercise.slug,
                "position": item.position,
                "hold_seconds": numbers["hold_seconds"],
                "repetitions": numbers["repetitions"],
                "sides": item.sides,
                "rest_seconds": numbers["rest_seconds"],
                "note": item.note,
            }
        )
    return (clean, []) if not problems else ([], problems)


# --- what changed between two versions ---------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    items: list[dict[str, Any]]
    days: list[int]
    times_per_day: int = 1
    review_date: date | None = None


@dataclass(frozen=True)
class Change:
    """One difference. ``kind``: added, removed, field, order, days, times, review."""

    kind: str
    name: str = ""
    field: str = ""
    before: Any = None
    after: Any = None
    item: Mapping[str, Any] | None = None


ITEM_FIELDS = ("position", "hold_seconds", "repetitions", "sides", "rest_seconds", "note")


def _pair_items(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) of the same exercise, in order of appearance; the rest."""
    unused_old = list(range(len(old)))
    pairs, added = [], []
    for new_index, item in enumerate(new):
        match = next((i for i in unused_old if old[i]["exercise"] == item["exercise"]), None)
        if match is None:
            added.append(new_index)
        else:
            unused_old.remove(match)
            pairs.append((match, new_index))
    return pairs, added, unused_old


def diff(old: Snapshot | None, new: Snapshot, names: Mapping[str, str]) -> list[Change]:
    """What changed from ``old`` (None for the first version) to ``new``, in reading order."""

    def name_of(item: Mapping[str, Any]) -> str:
        return names.get(str(item["exercise"]), str(item["exercise"]))

    before = old or Snapshot(items=[], days=list(new.days), times_per_day=new.times_per_day)
    pairs, added, removed = _pair_items(before.items, new.items)
    changes = [Change("added", name_of(new.items[i]), item=new.items[i]) for i in added]
    for old_index, new_index in pairs:
        was, now = before.items[old_index], new.items[new_index]
        for key in ITEM_FIELDS:
            if was.get(key, "") != now.get(key, ""):
                changes.append(
                    Change("field", name_of(now), key, was.get(key, ""), now.get(key, ""))
                )
    changes += [Change("removed", name_of(before.items[i])) for i in removed]
    old_order = [old_index for old_index, _new in sorted(pairs, key=lambda pair: pair[1])]
    if old_order != sorted(old_order):
        changes.append(Change("order"))
    if old is not None:
        if sorted(old.days) != sorted(new.days):
            changes.append(Change("days", before=sorted(old.days), after=sorted(new.days)))
        if old.times_per_day != new.times_per_day:
            changes.append(Change("times", before=old.times_per_day, after=new.times_per_day))
        if old.review_date != new.review_date:
            changes.append(Change("review", before=old.review_date, after=new.review_date))
    elif new.review_date is not None:
        changes.append(Change("review", before=None, after=new.review_date))
    return changes
