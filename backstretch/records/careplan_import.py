"""A patient's prescription loaded from a FHIR CarePlan (JSON), as ``records.fhir`` writes one:
each activity names one of our exercises by its ActivityDefinition's canonical URL (any site's
address: the slug at its end is what counts) and carries our ``exercise-dosage`` extension; the
schedule is the activities' timing. A Bundle is accepted too: its one active CarePlan is used.

The items then go through the routine builder's own validation, so an imported prescription
obeys the same rules as one typed in; a problem is one message that says what to fix, and
nothing is saved until everything is right (a new version: earlier ones stay).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from backstretch.clinic.builder import DraftItem, validate
from backstretch.clinic.forms_builder import problem_text
from backstretch.library.models import Exercise

from .fhir import WEEKDAYS

MAX_BYTES = 1024 * 1024
CANONICAL = re.compile(r"(?:^|/)ActivityDefinition/([A-Za-z0-9_-]+)/?$")
DOSAGE = "exercise-dosage"


class CarePlanProblem(ValueError):
    """What is wrong with the file, in words that say what to fix."""


@dataclass
class ImportedPlan:
    name: str
    items: list[dict[str, Any]]
    days: list[int] = field(default_factory=lambda: list(range(7)))
    times_per_day: int = 1


def read_json(raw: bytes) -> Any:
    if len(raw) > MAX_BYTES:
        raise CarePlanProblem(_("The file is larger than 1 MB: upload one CarePlan's JSON."))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise CarePlanProblem(
            _("The file is not JSON: upload a FHIR CarePlan saved as JSON (not XML or a PDF).")
        ) from None


def pick_careplan(data: Any) -> dict[str, Any]:
    kind = data.get("resourceType") if isinstance(data, dict) else None
    if kind == "CarePlan":
        return dict(data)
    if kind == "Bundle":
        plans: list[dict[str, Any]] = [
            entry["resource"]
            for entry in data.get("entry") or []
            if isinstance(entry, dict)
            and isinstance(entry.get("resource"), dict)
            and entry["resource"].get("resourceType") == "CarePlan"
        ]
        active = [plan for plan in plans if plan.get("status") == "active"]
        if len(active) == 1:
            return active[0]
        if len(plans) == 1:
            return plans[0]
        raise CarePlanProblem(
            _(
                "The Bundle holds %(count)d CarePlans, %(active)d of them active: upload one "
                "CarePlan, or a Bundle with exactly one active CarePlan."
            )
            % {"count": len(plans), "active": len(active)}
        )
    raise CarePlanProblem(
        _(
            "The file is a %(kind)s, not a CarePlan: upload a FHIR CarePlan "
            "(resourceType “CarePlan”)."
        )
        % {"kind": kind or _("JSON without a resourceType")}
    )


def dosage_of(detail: dict[str, Any]) -> dict[str, Any]:
    for extension in detail.get("extension") or []:
        if isinstance(extension, dict) and str(extension.get("url", "")).endswith(DOSAGE):
            found = {}
            for part in extension.get("extension") or []:
                if not isinstance(part, dict):
                    continue
                value = next((v for k, v in part.items() if k.startswith("value")), None)
                found[str(part.get("url"))] = value
            return found
    return {}


def slug_of(detail: dict[str, Any], number: int) -> str:
    for canonical in detail.get("instantiatesCanonical") or []:
        match = CANONICAL.search(str(canonical))
        if match:
            return match.group(1)
    raise CarePlanProblem(
        _(
            "Activity %(n)d names no exercise: its detail.instantiatesCanonical must be one of "
            "our ActivityDefinitions (…/fhir/ActivityDefinition/<exercise>)."
        )
        % {"n": number}
    )


def schedule_of(activities: list[dict[str, Any]]) -> tuple[list[int], int]:
    for activity in activities:
        repeat = (activity.get("detail") or {}).get("scheduledTiming", {}).get("repeat") or {}
        days = [WEEKDAYS.index(d) for d in repeat.get("dayOfWeek") or [] if d in WEEKDAYS]
        frequency = repeat.get("frequency")
        times = frequency if isinstance(frequency, int) and 1 <= frequency <= 3 else 1
        if repeat:
            return (sorted(set(days)) or list(range(7))), times
    return list(range(7)), 1


def name_of(plan: dict[str, Any]) -> str:
    title = str(plan.get("title") or "").strip()
    title = re.sub(r"\s*\(v\d+\)$", "", title)  # our export names the version
    return title[:100] or _("Imported routine")


def parse(raw: bytes) -> ImportedPlan:
    """The plan in the file, valid against the library and the builder's rules, or a
    CarePlanProblem."""
    plan = pick_careplan(read_json(raw))
    activities = [a for a in plan.get("activity") or [] if isinstance(a, dict)]
    if not activities:
        raise CarePlanProblem(_("The CarePlan has no activity: it needs one per exercise."))
    draft = []
    for number, activity in enumerate(activities, start=1):
        detail = activity.get("detail")
        if not isinstance(detail, dict):
            raise CarePlanProblem(
                _("Activity %(n)d has no detail: each exercise is an activity.detail.")
                % {"n": number}
            )
        slug = slug_of(detail, number)
        dosage = dosage_of(detail)
        if not dosage:
            raise CarePlanProblem(
                _(
                    "Activity %(n)d (%(slug)s) has no dosage: it needs the exercise-dosage "
                    "extension (position, sides, hold, repetitions, rest)."
                )
                % {"n": number, "slug": slug}
            )
        draft.append(
            DraftItem(
                exercise=slug,
                position=str(dosage.get("position") or ""),
                hold_seconds=str(dosage.get("holdSeconds", "")),
                repetitions=str(dosage.get("repetitions", "")),
                sides=str(dosage.get("sides") or ""),
                rest_seconds=str(dosage.get("restSeconds", "")),
                note=str(dosage.get("note") or ""),
            )
        )
    wanted = {d.exercise for d in draft}
    catalogue = {e.slug: e.spec for e in Exercise.objects.filter(retired=False, slug__in=wanted)}
    unknown = [d.exercise for d in draft if d.exercise not in catalogue]
    if unknown:
        raise CarePlanProblem(
            _(
                "“%(slug)s” is not an exercise in our library: the CarePlan must refer to our "
                "ActivityDefinitions (the library page lists them); change or remove that activity."
            )
            % {"slug": unknown[0]}
        )
    items, problems = validate(draft, catalogue)
    if problems:
        raise CarePlanProblem(" ".join(problem_text(problem) for problem in problems[:3]))
    days, times = schedule_of(activities)
    return ImportedPlan(name=name_of(plan), items=items, days=days, times_per_day=times)
