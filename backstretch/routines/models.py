from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .timeline import RoutineItem

# What a routine item stores: the prescription itself. Names and spoken cues come from the
# exercise library when the routine is compiled, so a corrected cue reaches every routine.
ITEM_KEYS = ("exercise", "position", "hold_seconds", "repetitions", "sides", "rest_seconds", "note")
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
# The reason a routine's first version gives when it was copied from a shipped template:
# stored in English, read in the reader's language (RoutineVersion.from_db).
STARTED_FROM = gettext_noop("Started from the “%(name)s” template")
STARTED_FROM_PATTERN = re.compile(
    "^" + re.escape(STARTED_FROM).replace(r"%\(name\)s", "(.+)") + "$"
)


class Routine(models.Model):
    """A patient's routine. Its content lives in immutable, numbered versions."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routines"
    )
    name = models.CharField(_("name"), max_length=120)
    template_slug = models.SlugField(_("started from template"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The version number whose "your routine changed" notice the patient has dismissed.
    notice_seen_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    stored_name = shown_name = ""  # set when the name is shown translated (from_db)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["patient", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A name shown in the reader's language (from_db) is stored as it was, in English.
        shown = self.name
        if self.stored_name and self.name == self.shown_name:
            self.name = self.stored_name
        try:
            super().save(*args, **kwargs)
        finally:
            self.name = shown

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Routine:
        """A routine started from a shipped template, with its name in the reader's language
        (routines/words.py); a name of the clinician's own stays as it is."""
        row = super().from_db(db, field_names, values)
        if row.template_slug and "name" in row.__dict__:
            from .words import in_reader_language

            shown = in_reader_language(row.name)
            if shown != row.name:
                row.stored_name, row.shown_name, row.name = row.name, shown, shown
        return row

    @property
    def current(self) -> RoutineVersion:
        version = self.versions.order_by("-number").first()
        if version is None:
            raise RoutineVersion.DoesNotExist(f"routine {self.pk} has no version")
        return version


class RoutineVersion(models.Model):
    """One saved state of a routine. Never edited: a change saves the next number."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    items = models.JSONField(_("items"))  # list of dicts with ITEM_KEYS
    days = models.JSONField(_("days"), default=list)  # weekday numbers, Monday 0
    times_per_day = models.PositiveSmallIntegerField(_("times a day"), default=1)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("routine", "-number")
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.routine} v{self.number}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> RoutineVersion:
        """A version whose reason is the template sentence reads it in the reader's language
        (versions are never saved again, so the stored English is kept)."""
        row = super().from_db(db, field_names, values)
        found = STARTED_FROM_PATTERN.match(row.__dict__.get("reason") or "")
        if found:
            from .words import in_reader_language

            row.reason = gettext(STARTED_FROM) % {"name": in_reader_language(found.group(1))}
        return row

    def routine_items(self) -> list[RoutineItem]:
        """The items with names and cues from the library, ready for compile_timeline."""
        from backstretch.library.models import Exercise

        slugs = [item["exercise"] for item in self.items]
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
        return [build_item(item, exercises[item["exercise"]]) for item in self.items]


def build_item(item: dict[str, Any], exercise: Any) -> RoutineItem:
    """A stored item plus its library exercise (a library.models.Exercise row)."""
    from .templates import item_voice

    variant = exercise.spec.positions[item["position"]]
    from .words import in_reader_language

    return RoutineItem(
        exercise=exercise.slug,
        name=exercise.name,
        position=item["position"],
        hold_seconds=int(item["hold_seconds"]),
        repetitions=int(item["repetitions"]),
        sides=str(item["sides"]),
        rest_seconds=int(item["rest_seconds"]),
        cue=variant.cue,
        note=in_reader_language(item.get("note", "")),
        voice=item_voice(variant),
    )


class ClinicTemplate(models.Model):
    """A clinic's own reusable programme, saved from the prescription builder."""

    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.CASCADE, related_name="routine_templates"
    )
    name = models.CharField(_("name"), max_length=120)
    items = models.JSONField(_("items"))  # list of dicts with ITEM_KEYS
    days = models.JSONField(_("days"), default=list)
    times_per_day = models.PositiveSmallIntegerField(_("times a day"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
