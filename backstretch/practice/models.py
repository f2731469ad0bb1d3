from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backstretch.routines.models import RoutineVersion


class StepResult(models.TextChoices):
    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")
    HURT = "hurt", _("hurt")


class HurtSeverity(models.TextChoices):
    LITTLE = "little", _("a little")
    LOT = "lot", _("a lot")
    SHARP = "sharp", _("sharp or shooting")


class PracticeSession(models.Model):
    """One performed session, stored once per client-generated id however often it is sent."""

    class Source(models.TextChoices):
        WEB = "web", _("phone or browser")
        TERMINAL = "terminal", _("terminal")
        API = "api", _("API")

    class Variant(models.TextChoices):
        FULL = "full", _("full routine")
        BAD_DAY = "bad_day", _("short version")

    client_id = models.UUIDField(unique=True)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    routine_version = models.ForeignKey(
        RoutineVersion, on_delete=models.PROTECT, related_name="sessions"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    local_date = models.DateField(help_text="the patient's own date when the session started")
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    # Per-step results: [{"index", "kind", "exercise", "position", "side", "rep", "result",
    # "hurt_severity"}] for the steps the patient reached, in the order played.
    steps = models.JSONField(default=list)
    holds_done = models.PositiveIntegerField(default=0)
    holds_skipped = models.PositiveIntegerField(default=0)
    hurts = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)
    # The bad-day short version of the same routine version still counts toward the week.
    variant = models.CharField(max_length=10, choices=Variant.choices, default=Variant.FULL)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-started_at",)
        indexes = [
            models.Index(fields=["patient", "local_date"]),
            # Covers the clinic dashboard's read of recent sessions, so it never has to load
            # rows with their (large) per-step results.
            models.Index(
                fields=["patient", "local_date", "pain_before", "pain_after", "hurts"],
                name="practice_session_summary_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__isnull=True) | Q(pain_before__lte=10),
                name="pain_before_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True) | Q(pain_after__lte=10),
                name="pain_after_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.local_date}"

    @property
    def minutes(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 60

    @property
    def pain_change(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


class HurtReport(models.Model):
    """A "this hurts" press: how bad, where in the routine, and what the patient chose."""

    class Action(models.TextChoices):
        GENTLER = "gentler", _("switched to a gentler position")
        SHORTER = "shorter", _("shortened the hold")
        SKIP = "skip", _("skipped the exercise")
        CONTINUE = "continue", _("carried on")
        STOP = "stop", _("stopped the session")

    session = models.ForeignKey(
        PracticeSession, on_delete=models.CASCADE, related_name="hurt_reports"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hurt_reports"
    )
    step_index = models.PositiveIntegerField()
    exercise = models.SlugField(max_length=60)
    position = models.CharField(max_length=10)
    side = models.CharField(max_length=5, blank=True)
    severity = models.CharField(max_length=10, choices=HurtSeverity.choices)
    numbness = models.BooleanField(default=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ("-reported_at",)
        indexes = [models.Index(fields=["patient", "reported_at"])]

    def __str__(self) -> str:
        return f"{self.exercise} {self.severity}"
