from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .timeline import RoutineItem

# What a routine item stores: the prescription itself. Names and spoken cues come from the
# exercise library when the routine is compiled, so a corrected cue reaches every routine.
ITEM_KEYS = ("exercise", "position", "hold_seconds", "repetitions", "sides", "rest_seconds", "note")
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


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

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["patient", "is_active"])]

    def __str__(self) -> str:
        return self.name

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
    return RoutineItem(
        exercise=exercise.slug,
        name=exercise.name,
        position=item["position"],
        hold_seconds=int(item["hold_seconds"]),
        repetitions=int(item["repetitions"]),
        sides=str(item["sides"]),
        rest_seconds=int(item["rest_seconds"]),
        cue=variant.cue,
        note=item.get("note", ""),
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
