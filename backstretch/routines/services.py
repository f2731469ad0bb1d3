from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backstretch.accounts.models import PatientProfile, User

from .models import EVERY_DAY, ITEM_KEYS, STARTED_FROM, Routine, RoutineVersion
from .signals import version_saved
from .templates import load_templates, resolve_items
from .timeline import RoutineItem, gettext_noop


def template_items(slug: str) -> tuple[str, list[RoutineItem]]:
    """A shipped template's name and resolved items (KeyError for an unknown slug)."""
    name, items = _shipped_template(slug)
    return name, list(items)


@functools.cache
def _shipped_template(slug: str) -> tuple[str, tuple[RoutineItem, ...]]:
    # The shipped library and templates are read once per process, as the builder and the
    # figures read them: parsing every data file again for each new patient took ~45 ms.
    from backstretch.library.schema import load_library

    library = load_library()
    template = load_templates(library=library)[slug]
    return template.name, tuple(resolve_items(template, library))


def stored_item(item: RoutineItem) -> dict[str, Any]:
    data = asdict(item)
    return {key: data[key] for key in ITEM_KEYS}


def start_routine_from_template(
    patient: User, slug: str, *, created_by: User | None = None, reason: str = ""
) -> Routine:
    """Give the patient a new active routine copied from a template (older ones retire)."""
    name, items = template_items(slug)
    return start_routine(
        patient,
        name,
        [stored_item(item) for item in items],
        reason=reason or STARTED_FROM % {"name": name},
        created_by=created_by,
        template_slug=slug,
    )


@transaction.atomic
def save_version(
    routine: Routine,
    items: Sequence[dict[str, Any]],
    *,
    days: Sequence[int] = EVERY_DAY,
    times_per_day: int = 1,
    review_date: date | None = None,
    reason: str = "",
    created_by: User | None = None,
) -> RoutineVersion:
    """Save the next version; rows are locked so two editors cannot take the same number."""
    locked = Routine.objects.select_for_update().get(pk=routine.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = RoutineVersion.objects.create(
        routine=locked,
        number=last + 1,
        items=[{key: item[key] for key in ITEM_KEYS if key in item} for item in items],
        days=sorted(set(days)),
        times_per_day=times_per_day,
        review_date=review_date,
        reason=reason,
        created_by=created_by,
    )
    version_saved.send(sender=RoutineVersion, version=version)
    return version


def active_routine(patient: User) -> Routine | None:
    return Routine.objects.filter(patient=patient, is_active=True).order_by("-created_at").first()


@transaction.atomic
def start_routine(
    patient: User,
    name: str,
    items: Sequence[dict[str, Any]],
    *,
    days: Sequence[int] = EVERY_DAY,
    times_per_day: int = 1,
    review_date: date | None = None,
    reason: str = "",
    created_by: User | None = None,
    template_slug: str = "",
) -> Routine:
    """Give the patient a new active routine with ``items`` as version 1 (older ones retire)."""
    Routine.objects.filter(patient=patient, is_active=True).update(is_active=False)
    routine = Routine.objects.create(patient=patient, name=name, template_slug=template_slug)
    save_version(
        routine,
        items,
        days=days,
        times_per_day=times_per_day,
        review_date=review_date,
        reason=reason,
        created_by=created_by,
    )
    return routine


def prescribe(
    patient: User,
    name: str,
    items: Sequence[dict[str, Any]],
    *,
    days: Sequence[int] = EVERY_DAY,
    times_per_day: int = 1,
    review_date: date | None = None,
    reason: str = "",
    created_by: User | None = None,
) -> RoutineVersion:
    """Save the next version of the patient's active routine, starting one if they have none."""
    routine = active_routine(patient)
    if routine is None:
        routine = start_routine(
            patient,
            name,
            items,
            days=days,
            times_per_day=times_per_day,
            review_date=review_date,
            reason=reason,
            created_by=created_by,
        )
        return routine.current
    if name and name != routine.name:
        Routine.objects.filter(pk=routine.pk).update(name=name)
    return save_version(
        routine,
        items,
        days=days,
        times_per_day=times_per_day,
        review_date=review_date,
        reason=reason,
        created_by=created_by,
    )


# --- self-guided routines: the starter that suits where the patient practises -------------

# The starter template for each answer to "Where will you do your stretches?": the seed's four
# stretches (or their bed or chair forms) with gentle strength, control work and a short walk.
STARTER_TEMPLATES: dict[str, str] = {
    PatientProfile.Position.FLOOR: "starter-floor",
    PatientProfile.Position.BED: "starter-bed",
    PatientProfile.Position.CHAIR: "starter-chair",
}
# Said in the version's reason when the routine follows a change of place.
POSITION_REASONS: dict[str, str] = {
    PatientProfile.Position.FLOOR: gettext_noop(
        "You chose to do your routine on the floor, so it now has the floor versions of its "
        "exercises."
    ),
    PatientProfile.Position.BED: gettext_noop(
        "You chose to do your routine in bed, so it now has the bed versions of its exercises."
    ),
    PatientProfile.Position.CHAIR: gettext_noop(
        "You chose to do your routine on a chair, so it now has the chair versions of its "
        "exercises, with nothing on the floor."
    ),
}


def starter_template(position: str) -> str:
    """The starter template for a preferred position (the floor one for an unknown answer)."""
    return STARTER_TEMPLATES.get(position, STARTER_TEMPLATES[PatientProfile.Position.FLOOR])


def is_prescribed(routine: Routine) -> bool:
    """Did a clinician set or change this routine? Then only a clinician changes it.

    A version saved by anyone but the patient (a clinician's prescription, a progression a
    clinician approved) makes it prescribed; a self-guided routine's versions are saved by the
    system (no one) or by the patient.
    """
    return (
        routine.versions.exclude(created_by__isnull=True)
        .exclude(created_by=routine.patient_id)
        .exists()
    )


class Followed(StrEnum):
    CHANGED = "changed"  # a new version from the starter for the new position
    SAME = "same"  # the routine already is that starter
    PRESCRIBED = "prescribed"  # a clinician's routine: left as it is
    NO_ROUTINE = "no_routine"


@transaction.atomic
def follow_position(patient: User, position: str) -> Followed:
    """Make the patient's self-guided routine the starter for ``position`` (a new version
    saying why); a clinician-prescribed routine is never changed by this."""
    routine = active_routine(patient)
    if routine is None:
        return Followed.NO_ROUTINE
    if is_prescribed(routine):
        return Followed.PRESCRIBED
    slug = starter_template(position)
    if routine.template_slug == slug:
        return Followed.SAME
    name, items = template_items(slug)
    current = routine.current
    Routine.objects.filter(pk=routine.pk).update(name=name, template_slug=slug)
    version = save_version(
        routine,
        [stored_item(item) for item in items],
        days=current.days,
        times_per_day=current.times_per_day,
        review_date=current.review_date,
        reason=_(POSITION_REASONS.get(position, POSITION_REASONS["floor"])),
        created_by=patient,
    )
    # The patient made this change: no "your routine changed" notice to tell them of it.
    Routine.objects.filter(pk=routine.pk).update(notice_seen_number=version.number)
    return Followed.CHANGED
