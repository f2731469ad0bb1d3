from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import transaction

from backstretch.accounts.models import User

from .models import EVERY_DAY, ITEM_KEYS, Routine, RoutineVersion
from .signals import version_saved
from .templates import load_templates, resolve_items
from .timeline import RoutineItem


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
        reason=reason or f"Started from the “{name}” template",
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
