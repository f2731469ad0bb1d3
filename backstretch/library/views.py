from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_htmx.middleware import HtmxDetails

from .filters import Problem, filter_exercises, known_kinds, known_targets, parse_filters
from .models import Exercise
from .schema import Contraindication, Dosage, Keyframe, Kind, Position, PositionVariant, Sides


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


POSITION_LABELS: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("Floor"),
    Position.BED: gettext_lazy("Bed"),
    Position.CHAIR: gettext_lazy("Chair"),
    Position.STANDING: gettext_lazy("Standing"),
}
POSITION_HEADINGS: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("On the floor"),
    Position.BED: gettext_lazy("In bed"),
    Position.CHAIR: gettext_lazy("On a chair"),
    Position.STANDING: gettext_lazy("Standing up"),
}
KIND_LABELS: dict[str, Promise] = {
    Kind.STRETCH: gettext_lazy("Stretch"),
    Kind.STRENGTH: gettext_lazy("Strength"),
    Kind.MOTOR_CONTROL: gettext_lazy("Motor control"),
    Kind.MOBILITY: gettext_lazy("Mobility"),
    Kind.AEROBIC: gettext_lazy("Aerobic"),
    Kind.RELAXATION: gettext_lazy("Relaxation"),
}
CONTRAINDICATION_LABELS: dict[str, Promise] = {
    Contraindication.FLEXION_SENSITIVE: gettext_lazy(
        "back pain that gets worse when you bend forward"
    ),
    Contraindication.EXTENSION_SENSITIVE: gettext_lazy(
        "back pain that gets worse when you lean backward"
    ),
    Contraindication.OSTEOPOROSIS: gettext_lazy("osteoporosis (fragile bones)"),
    Contraindication.HIP_REPLACEMENT: gettext_lazy("a hip replacement"),
    Contraindication.KNEE_LIMITS: gettext_lazy("painful or stiff knees"),
    Contraindication.WRIST_LIMITS: gettext_lazy("painful or weak wrists"),
    Contraindication.SHOULDER_LIMITS: gettext_lazy("painful or stiff shoulders"),
    Contraindication.BALANCE: gettext_lazy("unsteady balance or a risk of falling"),
    Contraindication.PREGNANCY: gettext_lazy("pregnancy"),
}

_LEG_JOINTS = {"hip", "knee", "ankle"}


def sided_limb(variants: list[PositionVariant]) -> str:
    """'leg' or 'side': what a one-sided exercise switches between, read from its pose.

    A pose that sets only leg joints one side at a time (the other side mirrors later) is done
    "each leg in turn"; anything else, such as a side plank or a twist of the trunk, is done
    "each side". Arms are not singled out: a one-armed pose still reads best as "each side".
    """
    sided: set[str] = set()
    for variant in variants:
        for keyframe in (variant.pose.start, variant.pose.end):
            for name in Keyframe.model_fields:
                side, _sep, joint = name.partition("_")
                if side in {"left", "right"} and getattr(keyframe, name) is not None:
                    sided.add(joint)
    if sided and sided <= _LEG_JOINTS:
        return "leg"
    return "side"


def _seconds_words(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def _sides_words(sides: Sides, limb: str, *, short: bool) -> str:
    if sides == Sides.EACH:
        if short:
            return _("each leg") if limb == "leg" else _("each side")
        return _("each leg in turn") if limb == "leg" else _("each side in turn")
    if sides == Sides.ALTERNATING:
        return _("alternating legs") if limb == "leg" else _("alternating sides")
    return ""


def dosage_words(dosage: Dosage, limb: str, kind: str = "") -> str:
    """The dosage as a sentence: "Hold 10 seconds, 5 times, each leg in turn, 5 seconds rest"."""
    duration = _seconds_words(dosage.hold_seconds)
    if kind == Kind.AEROBIC:
        first = _("Keep going for %(duration)s") % {"duration": duration}
    else:
        first = _("Hold %(duration)s") % {"duration": duration}
    parts = [first]
    if dosage.repetitions > 1:
        parts.append(
            ngettext("%(n)d time", "%(n)d times", dosage.repetitions) % {"n": dosage.repetitions}
        )
    sides = _sides_words(dosage.sides, limb, short=False)
    if sides:
        parts.append(sides)
    if dosage.rest_seconds and dosage.repetitions > 1:
        parts.append(_("%(duration)s rest") % {"duration": _seconds_words(dosage.rest_seconds)})
    return ", ".join(parts)


def dosage_short(dosage: Dosage, limb: str) -> str:
    """The dosage at a glance: "10 s × 5, each leg"."""
    if dosage.hold_seconds >= 60 and dosage.hold_seconds % 60 == 0:
        text = _("%(n)d min") % {"n": dosage.hold_seconds // 60}
    else:
        text = _("%(n)d s") % {"n": dosage.hold_seconds}
    if dosage.repetitions > 1:
        text = _("%(hold)s × %(repetitions)d") % {"hold": text, "repetitions": dosage.repetitions}
    sides = _sides_words(dosage.sides, limb, short=True)
    return f"{text}, {sides}" if sides else text


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
class Badge:
    value: str
    label: str


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
    exercises = list(Exercise.objects.filter(retired=False))
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
