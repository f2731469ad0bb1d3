"""The prescription builder and a routine's version history (clinician portal).

The draft lives in the page's one form. Every button posts that form with an ``action``;
without JavaScript the whole page comes back, with htmx only the part that changed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django_htmx.http import retarget

from backstretch import access
from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.requests import HtmxHttpRequest, writes_only_when
from backstretch.library.filters import filter_exercises, known_kinds, known_targets, parse_filters
from backstretch.library.models import Exercise, exercise_names, in_name_order
from backstretch.library.schema import Contraindication
from backstretch.library.schema import Exercise as ExerciseSpec
from backstretch.library.vocabulary import (
    AVOID_LABELS,
    CONTRAINDICATION_LABELS,
    KIND_LABELS,
    POSITION_LABELS,
    SIDES_CHOICES,
    Badge,
)
from backstretch.routines.models import ClinicTemplate, Routine, RoutineVersion
from backstretch.routines.services import active_routine, prescribe, stored_item, template_items
from backstretch.routines.templates import RoutineTemplate, load_templates
from backstretch.routines.words import translated_template

from . import builder
from .builder import DraftItem, Problem
from .forms_builder import ScheduleForm, TemplateNameForm, change_text, problem_text
from .models import Clinic
from .services import audit

# Contraindications a clinician most often screens out in the picker.
AVOID_CHOICES = [
    Contraindication.FLEXION_SENSITIVE,
    Contraindication.EXTENSION_SENSITIVE,
    Contraindication.OSTEOPOROSIS,
    Contraindication.HIP_REPLACEMENT,
    Contraindication.KNEE_LIMITS,
    Contraindication.WRIST_LIMITS,
]


# --- shipped templates: data files that change only with a release, so read once a process --


@functools.cache
def shipped_templates() -> tuple[RoutineTemplate, ...]:
    return tuple(sorted(load_templates().values(), key=lambda t: t.name))


@functools.cache
def _shipped_template_items(slug: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    name, resolved = template_items(slug)
    return name, tuple(stored_item(item) for item in resolved)


def shipped_template_items(slug: str) -> tuple[str, list[dict[str, Any]]]:
    """A shipped template's name and its items as stored (copies); KeyError if unknown."""
    name, stored = _shipped_template_items(slug)
    return name, [dict(item) for item in stored]


# --- the page's pieces -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    index: int
    item: DraftItem
    exercise: Exercise | None
    name: str
    positions: list[Badge]
    figure_position: str
    errors: dict[str, str]
    last: bool


@dataclass(frozen=True)
class Pick:
    exercise: Exercise
    positions: str
    figure_position: str


def _library() -> tuple[list[Exercise], dict[str, ExerciseSpec]]:
    rows = in_name_order(Exercise.objects.filter(retired=False))
    return rows, {row.slug: row.spec for row in rows}


def _item_rows(
    items: list[DraftItem], rows: list[Exercise], problems: list[Problem]
) -> list[ItemRow]:
    by_slug = {row.slug: row for row in rows}
    errors: dict[int, dict[str, str]] = {}
    for problem in problems:
        errors.setdefault(problem.index, {})[problem.field] = problem_text(problem)
    result = []
    for index, item in enumerate(items):
        row = by_slug.get(item.exercise)
        positions = row.positions if row else []
        shown = item.position if item.position in positions else (positions or [""])[0]
        result.append(
            ItemRow(
                index=index,
                item=item,
                exercise=row,
                name=row.name if row else item.exercise,
                positions=[Badge(p, str(POSITION_LABELS.get(p, p))) for p in positions],
                figure_position=shown,
                errors=errors.get(index, {}),
                last=index == len(items) - 1,
            )
        )
    return result


def _picker(request: HttpRequest, rows: list[Exercise]) -> dict[str, Any]:
    params = request.POST if request.method == "POST" else request.GET
    targets = known_targets(rows)
    filters = parse_filters(
        {key: params.get(key, "") for key in ("position", "kind", "q", "target")}, targets
    )
    avoid = [tag for tag in params.getlist("avoid") if tag in {c.value for c in AVOID_CHOICES}]
    shown = [row for row in filter_exercises(rows, filters) if not builder.is_avoided(row, avoid)]
    return {
        "filters": filters,
        "avoid": avoid,
        "picks": [
            Pick(
                row,
                " · ".join(str(POSITION_LABELS.get(p, p)) for p in row.positions),
                filters.position.value if filters.position else row.positions[0],
            )
            for row in shown
        ],
        "position_choices": [Badge(p, str(label)) for p, label in POSITION_LABELS.items()],
        "kind_choices": [Badge(k.value, str(KIND_LABELS[k])) for k in known_kinds(rows)],
        "target_choices": targets,
        "avoid_choices": [
            {"value": c.value, "label": AVOID_LABELS[c], "title": CONTRAINDICATION_LABELS[c]}
            for c in AVOID_CHOICES
        ],
    }


def _start_choices(user: User, profile: PatientProfile) -> dict[str, Any]:
    others = (
        access.patients_for_clinician(user)
        .exclude(user_id=profile.user_id)
        .filter(user__routines__is_active=True)
        .distinct()
    )
    return {
        "shipped_templates": sorted(
            (translated_template(template) for template in shipped_templates()),
            key=lambda template: template.name,
        ),
        "clinic_templates": ClinicTemplate.objects.filter(
            clinic_id__in=access.clinician_clinic_ids(user)
        ),
        "other_patients": others,
    }


def _schedule_initial(routine: Routine | None) -> dict[str, Any]:
    if routine is None:
        return {"name": _("Home programme"), "days": [0, 1, 2, 3, 4, 5, 6], "times_per_day": 1}
    version = routine.current
    return {
        "name": routine.name,
        "days": version.days,
        "times_per_day": version.times_per_day,
        "review_date": version.review_date,
    }


def _start_from(
    user: User, choice: str, catalogue: dict[str, ExerciseSpec]
) -> tuple[list[DraftItem], dict[str, Any]] | None:
    """The draft and schedule of a template or of another patient's routine; None if unknown."""
    source, _sep, key = choice.partition(":")
    if source == "template":
        try:
            name, stored = shipped_template_items(key)
        except KeyError:
            return None
        return builder.draft_from_stored(stored), {"name": name}
    if source == "clinic" and key.isdigit():
        template = ClinicTemplate.objects.filter(
            pk=int(key), clinic_id__in=access.clinician_clinic_ids(user)
        ).first()
        if template is None:
            return None
        schedule = {"name": template.name, "days": template.days}
        schedule["times_per_day"] = template.times_per_day
        return builder.draft_from_stored(template.items), schedule
    if source == "patient" and key.isdigit():
        other = access.get_patient_for_clinician(user, int(key))
        routine = active_routine(other.user)
        if routine is None:
            return None
        # Another patient's routine read into this one's draft: a read of their record.
        audit(user, other.user, _clinic_of(other), "view", "routine copied into another's")
        version = routine.current
        schedule = {"days": version.days, "times_per_day": version.times_per_day}
        return builder.draft_from_stored(version.items), schedule
    return None


def _clinic_of(profile: PatientProfile) -> Clinic:
    # A clinician reaches only patients of their own clinics, so there is always one.
    if profile.clinic is None:
        raise Http404("No such patient.")
    return profile.clinic


# --- views -------------------------------------------------------------------------------------


# Moving and filtering the draft only redraws it; saving a version or a template writes.
SAVING = frozenset({"save", "save_template"})


@login_required
@writes_only_when(lambda request: request.POST.get("action") in SAVING)
def routine_builder(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinic = _clinic_of(profile)
    user: User = request.user  # type: ignore[assignment]
    patient: User = profile.user
    rows, catalogue = _library()
    routine = active_routine(patient)
    if request.method != "POST":
        audit(user, patient, clinic, "view", "routine builder")
        draft = builder.draft_from_stored(routine.current.items) if routine else []
        schedule = ScheduleForm(initial=_schedule_initial(routine), today=patient.today())
        return _render(request, profile, rows, draft, schedule, [], {}, "page")

    if "action" not in request.POST:  # not one of the page's buttons: nothing to do
        return HttpResponseBadRequest(_("Use one of the builder's buttons."))
    draft = builder.read_draft(request.POST)
    today = patient.today()
    schedule = ScheduleForm(request.POST, today=today)
    action = request.POST.get("action", "")
    problems: list[Problem] = []
    notes: dict[str, Any] = {}
    part = "items"
    if action == "filter":
        part = "picks"
    elif action == "start":
        started = _start_from(user, request.POST.get("start_from", ""), catalogue)
        if started is None:
            notes["error"] = _("Choose a template or a patient to start from.")
        else:
            draft, values = started
            data = request.POST.copy()
            if "days" in values:
                data.setlist("days", [str(day) for day in values["days"]])
            for key in ("name", "times_per_day"):
                if key in values:
                    data[key] = str(values[key])
            schedule = ScheduleForm(data, today=today)
            notes["started"] = True
        part = "workspace"
    elif action == "save":
        clean, problems = builder.validate(draft, catalogue)
        if schedule.is_valid() and not problems:
            version = prescribe(
                patient,
                schedule.cleaned_data["name"],
                clean,
                days=schedule.cleaned_data["days"],
                times_per_day=schedule.cleaned_data["times_per_day"],
                review_date=schedule.cleaned_data["review_date"],
                reason=schedule.cleaned_data["reason"],
                created_by=user,
            )
            audit(user, patient, clinic, "change", f"routine v{version.number}")
            saved = _("Saved version %(n)s. %(name)s will see it next time.") % {
                "n": version.number,
                "name": patient.get_short_name() or _("The patient"),
            }
            if not request.htmx:
                messages.success(request, saved)
                return HttpResponseRedirect(reverse("clinic:routine", args=[patient_id]))
            notes["saved"] = saved
            schedule = ScheduleForm(initial={**schedule.cleaned_data, "reason": ""}, today=today)
        part = "workspace"
    elif action == "save_template":
        clean, problems = builder.validate(draft, catalogue)
        naming = TemplateNameForm(request.POST)
        schedule.is_valid()
        if naming.is_valid() and not problems:
            name = naming.cleaned_data["clinic_template_name"]
            ClinicTemplate.objects.create(
                clinic=clinic,
                name=name,
                items=clean,
                days=schedule.cleaned_data.get("days") or [0, 1, 2, 3, 4, 5, 6],
                times_per_day=schedule.cleaned_data.get("times_per_day") or 1,
                created_by=user,
            )
            audit(user, patient, clinic, "create", f"clinic template {name}"[:200])
            notes["saved"] = _("Saved as the clinic template “%(name)s”.") % {"name": name}
        else:
            notes["template_errors"] = naming.errors.get("clinic_template_name", [])
        part = "workspace"
    else:
        outcome = builder.apply_action(draft, action, catalogue)
        draft = outcome.items
        if action == "bed":
            notes["bed_done"] = True
            notes["without_bed"] = outcome.without_bed
        if outcome.unknown:
            problems = [Problem("unknown", value=outcome.unknown)]
    return _render(request, profile, rows, draft, schedule, problems, notes, part)


def _render(
    request: HtmxHttpRequest,
    profile: PatientProfile,
    rows: list[Exercise],
    draft: list[DraftItem],
    schedule: ScheduleForm,
    problems: list[Problem],
    notes: dict[str, Any],
    part: str,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    routine = active_routine(profile.user)
    context = {
        "profile": profile,
        "patient": profile.user,
        "routine": routine,
        "version": routine.current if routine else None,
        "rows": _item_rows(draft, rows, problems),
        "item_count": len(draft),
        "schedule": schedule,
        "checked_days": [str(day) for day in (schedule["days"].value() or [])],
        "problems": [problem_text(p) for p in problems],
        "notes": notes,
        "sides_choices": SIDES_CHOICES,
        "note_limit": builder.NOTE_LENGTH,
        **_picker(request, rows),
        **_start_choices(user, profile),
    }
    if request.htmx and part != "page":
        response = render(request, f"clinic/builder.html#{part}", context)
        return retarget(response, f"#{part}")
    return render(request, "clinic/builder.html", context)


@login_required
@require_safe
def routine_history(request: HttpRequest, patient_id: int) -> HttpResponse:
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinic = _clinic_of(profile)
    user: User = request.user  # type: ignore[assignment]
    audit(user, profile.user, clinic, "view", "routine history")
    routine = active_routine(profile.user)
    versions: list[RoutineVersion] = (
        list(routine.versions.select_related("created_by").order_by("number")) if routine else []
    )
    names = exercise_names(list(Exercise.objects.values_list("slug", flat=True)))
    entries = []
    previous: builder.Snapshot | None = None
    for version in versions:
        snapshot = builder.Snapshot(
            items=list(version.items),
            days=list(version.days),
            times_per_day=version.times_per_day,
            review_date=version.review_date,
        )
        changes = builder.diff(previous, snapshot, names)
        entries.append({"version": version, "changes": [change_text(c) for c in changes]})
        previous = snapshot
    entries.reverse()
    count = len(versions)
    context = {
        "profile": profile,
        "patient": profile.user,
        "routine": routine,
        "entries": entries,
        "summary": ngettext("%(n)d version", "%(n)d versions", count) % {"n": count},
    }
    return render(request, "clinic/routine_history.html", context)
