"""Routine templates: reusable programmes stored as data files under ``routines/data/``.

Pure: no Django imports. A template lists exercises (by slug) in order, each in one
position, with optional dosage overrides; ``resolve_items`` turns it into the RoutineItems
that ``timeline.compile_timeline`` compiles. Like exercise files, templates are validated on
load, with errors naming the file and the field.

A template file looks like::

    slug = "bad-day"                # must match the file name
    name = "Bad day"
    description = "A short, gentle routine you can do without getting out of bed."

    [[items]]
    exercise = "rotation-stretch"   # an exercise slug from the library
    position = "bed"                # one of the positions that exercise has
    repetitions = 3                 # optional: hold_seconds, repetitions, sides, rest_seconds
    note = "Small, slow movements." # optional: spoken after the exercise's cue
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from backstretch.library.schema import (
    Dosage,
    Exercise,
    Position,
    PositionVariant,
    Sides,
    Slug,
    parse_data_file,
)

from .timeline import ItemVoice, RoutineItem

TEMPLATES_DIR = Path(__file__).resolve().parent / "data"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TemplateItem(_Strict):
    exercise: Slug
    position: Position
    # Overrides of the exercise's dosage in this position; the same limits as an exercise file.
    hold_seconds: Annotated[int, Field(ge=1, le=900)] | None = None
    repetitions: Annotated[int, Field(ge=1, le=50)] | None = None
    sides: Sides | None = None
    rest_seconds: Annotated[int, Field(ge=0, le=300)] | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class RoutineTemplate(_Strict):
    slug: Slug
    name: Annotated[str, Field(min_length=3, max_length=80)]
    description: Annotated[str, Field(min_length=10, max_length=600)]
    items: Annotated[list[TemplateItem], Field(min_length=1, max_length=40)]


class TemplateError(Exception):
    """One or more templates are invalid; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def library_problems(
    template: RoutineTemplate, library: Mapping[str, Exercise], where: str | Path
) -> list[str]:
    """What in ``template`` the exercise library cannot satisfy, one line per problem."""
    problems = []
    for index, item in enumerate(template.items):
        exercise = library.get(item.exercise)
        if exercise is None:
            known = ", ".join(sorted(library)) or "(none)"
            problems.append(
                f"{where}: items[{index}].exercise: no exercise {item.exercise!r} in the "
                f"library (known: {known})"
            )
        elif item.position not in exercise.positions:
            available = ", ".join(position.value for position in exercise.positions)
            problems.append(
                f"{where}: items[{index}].position: {exercise.slug} cannot be done in the "
                f"{item.position.value} position (it has: {available})"
            )
        elif item.sides is not None and exercise.sides_mismatch(item.position, item.sides):
            wanted = "each or alternating" if item.sides == Sides.NONE else "none"
            problems.append(
                f"{where}: items[{index}].sides: {exercise.slug} in the {item.position.value} "
                f"position needs sides = {wanted} (got {item.sides.value})"
            )
    return problems


def load_template_file(
    path: Path, library: Mapping[str, Exercise] | None = None
) -> RoutineTemplate:
    """Read and validate one template (against ``library`` when given); raise TemplateError."""
    template, problems = parse_data_file(path, RoutineTemplate)
    if template is None:
        raise TemplateError(problems)
    if library is not None:
        problems = library_problems(template, library, path)
    if problems:
        raise TemplateError(problems)
    return template


def load_templates(
    directory: Path = TEMPLATES_DIR, library: Mapping[str, Exercise] | None = None
) -> dict[str, RoutineTemplate]:
    """Every template in ``directory`` by slug; all problems of all files in one TemplateError."""
    templates: dict[str, RoutineTemplate] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            template = load_template_file(path, library)
        except TemplateError as exc:
            problems.extend(exc.problems)
            continue
        templates[template.slug] = template
    if problems:
        raise TemplateError(problems)
    return templates


def item_voice(variant: PositionVariant) -> ItemVoice:
    """What the timeline says for an exercise in one position, from its ``voice`` block."""
    voice = variant.voice
    return ItemVoice(
        posture=voice.posture,
        needs=tuple(need.value for need in voice.needs),
        settle_seconds=voice.settle_seconds,
        move_in_seconds=voice.move_in_seconds,
        left=voice.left or "",
        right=voice.right or "",
        to_left=voice.to_left or "",
        to_right=voice.to_right or "",
        switch_seconds=voice.switch_seconds,
        activity=voice.activity or "",
    )


def _dosage_with_overrides(base: Dosage, item: TemplateItem) -> Dosage:
    overrides = {
        name: value
        for name in ("hold_seconds", "repetitions", "sides", "rest_seconds")
        if (value := getattr(item, name)) is not None
    }
    return base.model_copy(update=overrides)


def resolve_items(template: RoutineTemplate, library: Mapping[str, Exercise]) -> list[RoutineItem]:
    """The template's items with each exercise's dosage for its position, then the overrides."""
    problems = library_problems(template, library, f"template {template.slug!r}")
    if problems:
        raise TemplateError(problems)
    items = []
    for item in template.items:
        exercise = library[item.exercise]
        dosage = _dosage_with_overrides(exercise.dosage_for(item.position), item)
        items.append(
            RoutineItem(
                exercise=exercise.slug,
                name=exercise.name,
                position=item.position.value,
                hold_seconds=dosage.hold_seconds,
                repetitions=dosage.repetitions,
                sides=Sides(dosage.sides).value,
                rest_seconds=dosage.rest_seconds,
                cue=exercise.positions[item.position].cue,
                note=item.note,
                voice=item_voice(exercise.positions[item.position]),
            )
        )
    return items
