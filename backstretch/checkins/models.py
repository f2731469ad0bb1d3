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
