from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .redflags import Urgency

if TYPE_CHECKING:
    from backstretch.accounts.models import User


class RedFlagScreen(models.Model):
    """One completed red-flag questionnaire, with its answers and when they were given."""

    class Context(models.TextChoices):
        ONBOARDING = "onboarding", _("Before the first routine")
        PAIN_JUMP = "pain_jump", _("After pain went up sharply")
        RECHECK = "recheck", _("Checked again")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="red_flag_screens"
    )
    context = models.CharField(max_length=20, choices=Context.choices, default=Context.ONBOARDING)
    answers = models.JSONField()  # {question key: bool}
    urgency = models.CharField(max_length=10, choices=[(u.value, u.value) for u in Urgency])
    answered_at = models.DateTimeField(auto_now_add=True)
    # Set when the lock these answers put on the routine is lifted: by a clinician of the
    # patient's clinic (``cleared_by``), or, for a self-guided patient, by their own word of
    # who saw them and when (``seen_by``, ``seen_on``). Older screens may have neither: the
    # patient ticked a box, before these were asked.
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seen_by = models.CharField(max_length=120, blank=True)
    seen_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("-answered_at",)

    def __str__(self) -> str:
        return f"{self.user} {self.urgency} at {self.answered_at:%Y-%m-%d %H:%M}"

    @property
    def unlocks_routine(self) -> bool:
        return self.urgency == Urgency.CLEAR or self.cleared_at is not None

    def clear(
        self, *, by: User | None = None, seen_by: str = "", seen_on: date | None = None
    ) -> None:
        """Lift the lock: by a clinician of the patient's clinic (``by``), or on a self-guided
        patient's word of who saw them (``seen_by``) and on which day (``seen_on``)."""
        self.cleared_at = timezone.now()
        self.cleared_by = by
        self.seen_by = seen_by
        self.seen_on = seen_on
        self.save(update_fields=["cleared_at", "cleared_by", "seen_by", "seen_on"])


class RescreenRequest(models.Model):
    """The red-flag questions asked again after sharp pain or a big jump in pain.

    Open (no ``screen``) until the person answers; until then, and while those answers still
    need a clinician, no new session starts.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rescreen_requests"
    )
    reason = models.CharField(max_length=300)
    session = models.ForeignKey(
        "practice.PracticeSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    screen = models.ForeignKey(
        RedFlagScreen, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user} re-screen {'answered' if self.screen_id else 'open'}"
