"""Filtering the exercise library by position, kind, target and free text.

Pure: no Django imports, so the rules can be tested on plain objects. The view turns a
``Problem`` into a translated message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from .schema import Kind, Position

MAX_QUERY_LENGTH = 100


class Filterable(Protocol):
    """What filtering needs from an exercise: the model row fits, so does a plain stand-in."""

    @property
    def name(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def positions(self) -> list[str]: ...
    @property
    def targets(self) -> list[str]: ...


E = TypeVar("E", bound=Filterable)


@dataclass(frozen=True)
class Problem:
    """A filter value that is not one of the choices; the filter is ignored."""

    field: str
    value: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class LibraryFilters:
    position: Position | None = None
    kind: Kind | None = None
    target: str | None = None
    query: str = ""
    problems: tuple[Problem, ...] = field(default=())

    @property
    def active(self) -> bool:
        return bool(self.position or self.kind or self.target or self.query)


def known_targets(exercises: Iterable[Filterable]) -> list[str]:
    """Every target area named by at least one exercise, alphabetically."""
    return sorted({target for exercise in exercises for target in exercise.targets})


def known_kinds(exercises: Iterable[Filterable]) -> list[Kind]:
    """The kinds the library actually holds, in the schema's order."""
    present = {exercise.kind for exercise in exercises}
    return [kind for kind in Kind if kind.value in present]


def parse_filters(params: Mapping[str, str], targets: Sequence[str]) -> LibraryFilters:
    """Read the GET parameters; an unknown value becomes a Problem instead of an error."""
    problems: list[Problem] = []

    position: Position | None = None
    raw_position = params.get("position", "").strip().lower()
    if raw_position:
        try:
            position = Position(raw_position)
        except ValueError:
            problems.append(Problem("position", raw_position, tuple(p.value for p in Position)))

    kind: Kind | None = None
    raw_kind = params.get("kind", "").strip().lower()
    if raw_kind:
        try:
            kind = Kind(raw_kind)
        except ValueError:
            problems.append(Problem("kind", raw_kind, tuple(k.value for k in Kind)))

    target: str | None = None
    raw_target = params.get("target", "").strip().lower()
    if raw_target:
        if raw_target in targets:
            target = raw_target
        else:
            problems.append(Problem("target", raw_target, tuple(targets)))

    query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
    return LibraryFilters(position, kind, target, query, tuple(problems))


def _matches_query(exercise: Filterable, query: str) -> bool:
    haystack = " ".join([exercise.name, exercise.summary, exercise.kind, *exercise.targets])
    haystack = haystack.casefold()
    return all(word in haystack for word in query.casefold().split())


def filter_exercises(exercises: Iterable[E], filters: LibraryFilters) -> list[E]:
    """The exercises that pass every active filter; the input order is kept."""
    chosen = []
    for exercise in exercises:
        if filters.position and filters.position.value not in exercise.positions:
            continue
        if filters.kind and exercise.kind != filters.kind.value:
            continue
        if filters.target and filters.target not in exercise.targets:
            continue
        if filters.query and not _matches_query(exercise, filters.query):
            continue
        chosen.append(exercise)
    return chosen
