from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .schedule import QuietHours


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    CALENDAR = "calendar", _("Calendar feed")


class LeadTime(models.IntegerChoices):
    """How long before the reminder time the calendar's alert comes."""

    AT_THE_TIME = 0, _("At the time")
    FIVE = 5, _("5 minutes before")
    TEN = 10, _("10 minutes before")
    THIRTY = 30, _("30 minutes before")


class ReminderSettings(models.Model):
    """When and how one patient wants to be reminded, and their private calendar feed."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    time = models.TimeField(_("reminder time"))
    days = models.JSONField(_("days"), default=list)  # weekday numbers, Monday 0
    channels = models.JSONField(_("channels"), default=list)  # Channel values
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    lead_minutes = models.PositiveSmallIntegerField(
        _("calendar alert"), choices=LeadTime.choices, default=LeadTime.AT_THE_TIME
    )
    # The feed URL's secret. Revoking replaces it, so the old URL answers 404.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    # The patient's local date when reminders started: no "missed day" before it.
    first_day = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders for {self.patient}"

    @property
    def email_on(self) -> bool:
        return Channel.EMAIL in self.channels

    @property
    def email_goes(self) -> bool:
        """E-mail is ticked and the patient confirmed their address: only then is a reminder
        e-mailed (nobody can have reminders sent to an address that is not theirs)."""
        return self.email_on and self.patient.email_verified

    @property
    def calendar_on(self) -> bool:
        return Channel.CALENDAR in self.channels

    @property
    def quiet(self) -> QuietHours | None:
        if self.quiet_start is None or self.quiet_end is None:
            return None
        return QuietHours(self.quiet_start, self.quiet_end)

    def revoke_feed(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token", "updated_at"])


class SentReminder(models.Model):
    """One reminder e-mail, claimed before it is sent: at most one per patient and local day.

    The row is inserted before the message goes out; a second copy of ``send-reminders``
    running at the same moment hits the unique constraint and sends nothing.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=10)  # schedule.Kind
    local_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    # Which run of send-reminders claimed it (a batch claims many rows with one insert, then
    # reads back those that carry its token).
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-local_date",)
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "local_date"], name="one_reminder_per_patient_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.patient} on {self.local_date}"
