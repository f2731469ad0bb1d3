"""Reminder settings, and sending the e-mails that are due (safe to run from two places)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from backstretch import access
from backstretch.accounts.models import User
from backstretch.practice.models import PracticeSession
from backstretch.push.models import PushSubscription
from backstretch.push.services import Notification, notify
from backstretch.routines.models import EVERY_DAY
from backstretch.routines.services import active_routine

from .mail import send_reminder
from .models import Channel, ReminderSettings, SentReminder
from .schedule import Facts, Kind, due_reminder

log = logging.getLogger(__name__)

DEFAULT_TIME = time(8, 0)
MAX_ATTEMPTS = 3


def local_now(user: User, now: datetime | None = None) -> datetime:
    return (now or timezone.now()).astimezone(user.zone)


def settings_for(user: User) -> ReminderSettings:
    """The patient's reminder settings, created on first use from their profile and routine."""
    existing = ReminderSettings.objects.filter(patient=user).first()
    if existing is not None:
        return existing
    profile = getattr(user, "patient", None)
    routine = active_routine(user)
    days = list(routine.current.days) if routine is not None else list(EVERY_DAY)
    chosen = getattr(profile, "daily_time", None) or DEFAULT_TIME
    try:
        with transaction.atomic():
            return ReminderSettings.objects.create(
                patient=user,
                time=chosen,
                days=days or list(EVERY_DAY),
                # E-mail is opt-in: nothing is sent until the patient ticks it and saves.
                channels=[Channel.CALENDAR.value],
                first_day=local_now(user).date(),
            )
    except IntegrityError:  # created at the same moment by another request
        return ReminderSettings.objects.get(patient=user)


def save_settings(reminders: ReminderSettings) -> None:
    """Store the settings; the profile's daily time follows the reminder time."""
    reminders.save()
    profile = getattr(reminders.patient, "patient", None)
    if profile is not None and profile.daily_time != reminders.time:
        profile.daily_time = reminders.time
        profile.save(update_fields=["daily_time"])


def facts_for(
    reminders: ReminderSettings, now: datetime | None = None, *, push_on: bool = False
) -> Facts:
    user = reminders.patient
    here = local_now(user, now)
    today = here.date()
    yesterday = today - timedelta(days=1)
    done = set(
        PracticeSession.objects.filter(patient=user, local_date__in=[today, yesterday]).values_list(
            "local_date", flat=True
        )
    )
    sent_today = (
        SentReminder.objects.filter(patient=user, local_date=today)
        .exclude(status=SentReminder.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
        .exists()
    )
    return Facts(
        now=here.replace(tzinfo=None),
        remind_at=reminders.time,
        days=frozenset(reminders.days),
        # Some way to reach the patient: e-mail ticked, or a phone subscribed to notifications.
        email_on=reminders.email_goes or push_on,
        quiet=reminders.quiet,
        done_today=today in done,
        done_yesterday=yesterday in done,
        first_day=reminders.first_day,
        sent_today=sent_today,
    )


def claim(user: User, kind: Kind, local_date: date) -> SentReminder | None:
    """Take the day's one message for ``user``, or None when another run already has it.

    A failed send may be claimed again (up to MAX_ATTEMPTS) by a conditional update, which
    only one run can win.
    """
    try:
        with transaction.atomic():
            return SentReminder.objects.create(patient=user, kind=kind, local_date=local_date)
    except IntegrityError:
        pass
    retried = SentReminder.objects.filter(
        patient=user,
        local_date=local_date,
        status=SentReminder.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=SentReminder.Status.CLAIMED, kind=kind, attempts=F("attempts") + 1)
    if retried:
        return SentReminder.objects.get(patient=user, local_date=local_date)
    return None


@dataclass
class RunSummary:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    held: int = 0  # due, but not to be nudged: no routine, or not cleared to practise


def send_due(now: datetime | None = None) -> RunSummary:
    """Send every reminder that is due now. Any number of copies may run at the same time."""
    summary = RunSummary()
    candidates = ReminderSettings.objects.filter(
        patient__is_active=True, patient__patient__isnull=False
    ).select_related("patient")
    subscribed = set(PushSubscription.objects.values_list("user_id", flat=True).distinct())
    for reminders in candidates:
        push_on = reminders.patient_id in subscribed
        if not reminders.email_goes and not push_on:
            continue
        facts = facts_for(reminders, now, push_on=push_on)
        kind = due_reminder(facts)
        if kind is None:
            continue
        if not may_be_nudged(reminders.patient):
            summary.held += 1
            continue
        claimed = claim(reminders.patient, kind, facts.now.date())
        if claimed is None:
            summary.skipped += 1
            continue
        try:
            send_by_push_or_mail(reminders, kind, push_on)
        except Exception as error:  # the SMTP server said no, or could not be reached
            log.warning("reminder to %s failed: %s", reminders.patient.email, error)
            claimed.status = SentReminder.Status.FAILED
            claimed.error = str(error)[:300]
            claimed.save(update_fields=["status", "error"])
            summary.failed += 1
            continue
        claimed.status = SentReminder.Status.SENT
        claimed.sent_at = timezone.now()
        claimed.save(update_fields=["status", "sent_at"])
        summary.sent += 1
    return summary


class NotDelivered(Exception):
    """No notification got through and e-mail is off."""


def send_by_push_or_mail(reminders: ReminderSettings, kind: Kind, push_on: bool) -> None:
    """A notification to the patient's phones; e-mail (if ticked, to a confirmed address) when
    none got through."""
    if push_on:
        words = NUDGE_PUSH if kind == Kind.NUDGE else DAILY_PUSH
        with translation.override(reminders.patient.language or settings.LANGUAGE_CODE):
            notification = Notification(
                title=str(_("Backstretch")),
                body=str(words),
                url=reverse("practice:today"),
                tag="reminder",
            )
        if notify(reminders.patient, notification):
            return
    if not reminders.email_goes:
        raise NotDelivered(
            "no notification got through, and e-mail reminders are off or the address is "
            "not confirmed"
        )
    send_reminder(reminders, kind)


# What a reminder notification says: nothing about the patient's health.
DAILY_PUSH = _("Time for your stretches")
NUDGE_PUSH = _("Your stretches are waiting: a short session still counts")


def may_be_nudged(user: User) -> bool:
    """Only someone with a routine they may start now: never "your stretches are waiting" to
    a person whose safety answers need a clinician first."""
    return access.practice_gate(user) is None and active_routine(user) is not None
