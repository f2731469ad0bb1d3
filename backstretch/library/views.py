from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from backstretch.accounts.requests import HtmxHttpRequest

from .filters import LibraryFilters, Problem, filter_exercises, parse_filters
from .models import Exercise
from .schema import Position, PositionVariant, Sides
from .shelf import Shelf, shelf
from .vocabulary import (
    CONTRAINDICATION_LABELS,
    KIND_LABELS,
    POSITION_HEADINGS,
    POSITION_LABELS,
    Badge,
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
class PositionSection:
    position: str
    label: str
    heading: str
    variant: PositionVariant
    sided: bool
    own_dosage: str  # empty when this position uses the exercise's dosage


def list_context(library: Shelf, filters: LibraryFilters) -> dict[str, Any]:
    kinds = list(library.kinds)
    if filters.kind and filters.kind not in kinds:
        kinds.append(filters.kind)
    chosen = filters.position.value if filters.position else ""
    return {
        "filters": filters,
        "cards": [library.card(e.slug, chosen) for e in filter_exercises(library.facts, filters)],
        "total": len(library.facts),
        "problems": [problem_message(problem) for problem in filters.problems],
        "position_choices": [Badge(p.value, str(POSITION_LABELS[p])) for p in Position],
        "kind_choices": [Badge(k.value, str(KIND_LABELS[k])) for k in kinds],
        "target_choices": library.targets,
    }


def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    """The library, filtered; an htmx request gets the results alone. The part below the
    site's header is the same for every reader: the shelf keeps it for the usual filters."""
    library = shelf()
    filters = parse_filters(request.GET, library.targets)
    fragment = bool(request.htmx and not request.htmx.history_restore_request)
    template = "library/list_body.html#results" if fragment else "library/list_body.html"
    body = library.page(
        ("list", template, filters),
        lambda: render_to_string(template, list_context(library, filters)),
        keep=not filters.query and not filters.problems,  # a few choices, not any typed text
    )
    response = (
        HttpResponse(body) if fragment else render(request, "library/list.html", {"body": body})
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def detail_context(exercise: Exercise) -> dict[str, Any]:
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
    return {
        "exercise": exercise,
        "spec": spec,
        "kind": KIND_LABELS.get(exercise.kind, exercise.kind),
        "dosage": dosage_words(spec.dosage, limb, exercise.kind),
        "sections": sections,
        "has_bed": Position.BED in spec.positions,
        "has_floor": Position.FLOOR in spec.positions,
        "contraindications": [CONTRAINDICATION_LABELS[tag] for tag in spec.contraindications],
    }


def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One exercise; its body, the same for every reader, is kept by the shelf."""
    library = shelf()
    exercise = library.rows.get(slug)
    if exercise is None:
        raise Http404("No exercise matches the given query.")
    body = library.page(
        ("detail", slug),
        lambda: render_to_string("library/detail_body.html", detail_context(exercise)),
    )
    return render(request, "library/detail.html", {"exercise": exercise, "body": body})
