from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scoring import Risk, peg_score


class PegCheckin(models.Model):
    """One weekly PEG check-in: three answers 0–10, or a skip (so it is not asked again)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peg_checkins"
    )
    local_date = models.DateField(help_text="the patient's own date of the check-in")
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    enjoyment = models.PositiveSmallIntegerField(null=True, blank=True)
    activity = models.PositiveSmallIntegerField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-local_date", "-created_at")
        indexes = [models.Index(fields=["patient", "local_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        skipped=True,
                        pain__isnull=True,
                        enjoyment__isnull=True,
                        activity__isnull=True,
                    )
                    | Q(skipped=False, pain__lte=10, enjoyment__lte=10, activity__lte=10)
                ),
                name="peg_answered_0_to_10_or_skipped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.local_date}"

    @property
    def score(self) -> float | None:
        if self.pain is None or self.enjoyment is None or self.activity is None:
            return None
        return peg_score(self.pain, self.enjoyment, self.activity)


class StartBack(models.Model):
    """A clinician's request for the STarT Back tool, and the patient's answers once given."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="start_backs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Items 1–8 as 0/1 (disagree/agree), item 9 as 0–4; empty until answered.
    answers = models.JSONField(default=list, blank=True)
    overall = models.PositiveSmallIntegerField(null=True, blank=True)
    distress = models.PositiveSmallIntegerField(null=True, blank=True)
    risk = models.CharField(
        max_length=6,
        blank=True,
        choices=[
            (Risk.LOW.value, _("low risk")),
            (Risk.MEDIUM.value, _("medium risk")),
            (Risk.HIGH.value, _("high risk")),
        ],
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__isnull=True) | Q(overall__lte=9), name="start_back_overall_0_9"
            ),
            models.CheckConstraint(
                condition=Q(distress__isnull=True) | Q(distress__lte=5),
                name="start_back_distress_0_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ProgressionSettings(models.Model):
    """How a prescription follows the pain: off, proposals for the clinician, or automatic."""

    class Mode(models.TextChoices):
        OFF = "off", _("Off")
        PROPOSE = "propose", _("Propose changes to me")
        AUTO = "auto", _("Change automatically within the limits")

    routine = models.OneToOneField(
        "routines.Routine", on_delete=models.CASCADE, related_name="progression"
    )
    mode = models.CharField(_("progression"), max_length=10, choices=Mode.choices, default="off")
    sessions_needed = models.PositiveSmallIntegerField(
        _("calm sessions before a step up"), default=5
    )
    max_repetitions = models.PositiveSmallIntegerField(_("most repetitions"), null=True, blank=True)
    max_hold_seconds = models.PositiveSmallIntegerField(
        _("longest hold (seconds)"), null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "routines_progressionsettings"  # the table it had in the routines app

    def __str__(self) -> str:
        return f"{self.routine}: {self.mode}"


class ProgressionProposal(models.Model):
    """One step up or down worked out after a session, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the clinician")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        APPLIED = "applied", _("applied automatically")
        SUPERSEDED = "superseded", _("out of date")

    class Direction(models.TextChoices):
        UP = "up", _("step up")
        DOWN = "down", _("step down")

    routine = models.ForeignKey(
        "routines.Routine", on_delete=models.CASCADE, related_name="proposals"
    )
    based_on = models.ForeignKey(
        "routines.RoutineVersion", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "practice.PracticeSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    direction = models.CharField(max_length=4, choices=Direction.choices)
    cause = models.CharField(max_length=10)  # calm | pain_jump | hurt
    change = models.JSONField(null=True, blank=True)  # progression.Change.as_dict()
    reason = models.CharField(max_length=300)
    rescreen = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.ForeignKey(
        "routines.RoutineVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["routine", "status"])]
        constraints = [models.UniqueConstraint(fields=["session"], name="one_proposal_per_session")]
        db_table = "routines_progressionproposal"  # the table it had in the routines app

    def __str__(self) -> str:
        return f"{self.routine} {self.direction} ({self.status})"
