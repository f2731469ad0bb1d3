from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from backstretch.accounts.requests import HtmxHttpRequest

from .filters import Problem, filter_exercises, known_kinds, known_targets, parse_filters
from .models import Exercise, in_name_order
from .schema import Position, PositionVariant, Sides
from .vocabulary import (
    CONTRAINDICATION_LABELS,
    KIND_LABELS,
    POSITION_HEADINGS,
    POSITION_LABELS,
    Badge,
    dosage_short,
    dosage_words,
    sided_limb,
)


def or_list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(head)s or %(last)s") % {"head": ", ".join(words[:-1]), "last": words[-1]}


def problem_message(problem: Problem) -> str:
    values = {"value": problem.value, "choices": or_list(list(problem.choices))}
    if problem.field == "position":
        return _("Unknown position '%(value)s' — choose %(choices)s") % values
    if problem.field == "kind":
        return _("Unknown kind '%(value)s' — choose %(choices)s") % values
    return _("Unknown target area '%(value)s' — choose %(choices)s") % values


@dataclass(frozen=True)
class ExerciseCard:
    exercise: Exercise
    url: str
    kind: str
    positions: list[Badge]
    dosage: str
    figure_position: str


def exercise_card(exercise: Exercise, position: Position | None) -> ExerciseCard:
    spec = exercise.spec
    url = reverse("library:detail", args=[exercise.slug])
    if position:
        url += f"#{position.value}"
    shown = position.value if position else exercise.positions[0]
    return ExerciseCard(
        exercise=exercise,
        url=url,
        kind=str(KIND_LABELS.get(exercise.kind, exercise.kind)),
        positions=[Badge(p, str(POSITION_LABELS.get(p, p))) for p in exercise.positions],
        dosage=dosage_short(spec.dosage, sided_limb(list(spec.positions.values()))),
        figure_position=shown,
    )


@dataclass(frozen=True)
class PositionSection:
    position: str
    label: str
    heading: str
    variant: PositionVariant
    sided: bool
    own_dosage: str  # empty when this position uses the exercise's dosage


def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    exercises = in_name_order(Exercise.objects.filter(retired=False))
    targets = known_targets(exercises)
    filters = parse_filters(request.GET, targets)
    kinds = known_kinds(exercises)
    if filters.kind and filters.kind not in kinds:
        kinds.append(filters.kind)
    context = {
        "filters": filters,
        "cards": [exercise_card(e, filters.position) for e in filter_exercises(exercises, filters)],
        "total": len(exercises),
        "problems": [problem_message(problem) for problem in filters.problems],
        "position_choices": [Badge(p.value, str(POSITION_LABELS[p])) for p in Position],
        "kind_choices": [Badge(k.value, str(KIND_LABELS[k])) for k in kinds],
        "target_choices": targets,
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "library/list.html#results" if fragment else "library/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug, retired=False)
    spec = exercise.spec
    limb = sided_limb(list(spec.positions.values()))
    sections = []
    for position, variant in spec.positions.items():
        dosage = spec.dosage_for(position)
        sections.append(
            PositionSection(
                position=position.value,
                label=str(POSITION_LABELS[position]),
                heading=str(POSITION_HEADINGS[position]),
                variant=variant,
                sided=dosage.sides != Sides.NONE,
                own_dosage=dosage_words(dosage, limb, exercise.kind)
                if dosage != spec.dosage
                else "",
            )
        )
    context = {
        "exercise": exercise,
        "spec": spec,
        "kind": KIND_LABELS.get(exercise.kind, exercise.kind),
        "dosage": dosage_words(spec.dosage, limb, exercise.kind),
        "sections": sections,
        "has_bed": Position.BED in spec.positions,
        "has_floor": Position.FLOOR in spec.positions,
        "contraindications": [CONTRAINDICATION_LABELS[tag] for tag in spec.contraindications],
    }
    return render(request, "library/detail.html", context)
