"""Reminder settings, and sending the e-mails that are due (safe to run from two places)."""

from __future__ import annotations

import logging
import uuid
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
from backstretch.routines.models import EVERY_DAY, Routine, RoutineVersion
from backstretch.routines.services import active_routine

from .content import RoutineSummary, library_stamp, routine_summary
from .mail import Mailer, send_reminder
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


def facts_from(
    reminders: ReminderSettings,
    now: datetime | None,
    *,
    push_on: bool,
    done_today: bool,
    done_yesterday: bool,
    sent_today: bool,
) -> Facts:
    here = local_now(reminders.patient, now)
    return Facts(
        now=here.replace(tzinfo=None),
        remind_at=reminders.time,
        days=frozenset(reminders.days),
        # Some way to reach the patient: e-mail ticked, or a phone subscribed to notifications.
        email_on=reminders.email_goes or push_on,
        quiet=reminders.quiet,
        done_today=done_today,
        done_yesterday=done_yesterday,
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


BATCH = 500  # reminders looked at, claimed and marked together


def send_due(now: datetime | None = None) -> RunSummary:
    """Send every reminder that is due now. Any number of copies may run at the same time.

    Patients are taken in batches: their facts read with one query per kind for the batch,
    the due ones claimed with one insert (a copy running at the same moment inserts nothing
    for the rows it lost), sent over one SMTP connection, and marked sent with one update.
    """
    summary = RunSummary()
    candidates = (
        ReminderSettings.objects.filter(patient__is_active=True, patient__patient__isnull=False)
        .select_related("patient", "patient__patient")
        .order_by("pk")
    )
    subscribed = set(PushSubscription.objects.values_list("user_id", flat=True).distinct())
    after = 0
    with Mailer() as mailer:
        while True:
            # Read whole batches, never one long cursor: on SQLite a statement still being
            # read keeps this run's writes' lock, and a second run would wait it out.
            rows = list(candidates.filter(pk__gt=after)[:BATCH])
            if not rows:
                return summary
            after = rows[-1].pk
            batch = [r for r in rows if r.email_goes or r.patient_id in subscribed]
            if batch:
                _send_batch(batch, now, subscribed, mailer, summary)


def _send_batch(
    batch: list[ReminderSettings],
    now: datetime | None,
    subscribed: set[int],
    mailer: Mailer,
    summary: RunSummary,
) -> None:
    ids = [r.patient_id for r in batch]
    todays = {r.patient_id: local_now(r.patient, now).date() for r in batch}
    first, last = min(todays.values()) - timedelta(days=1), max(todays.values())
    done = set(
        PracticeSession.objects.filter(
            patient_id__in=ids, local_date__gte=first, local_date__lte=last
        ).values_list("patient_id", "local_date")
    )
    sent = set(
        SentReminder.objects.filter(patient_id__in=ids, local_date__gte=first, local_date__lte=last)
        .exclude(status=SentReminder.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
        .values_list("patient_id", "local_date")
    )
    due: dict[int, tuple[ReminderSettings, Kind, date]] = {}
    routines = active_routines(ids)
    for reminders in batch:
        uid = reminders.patient_id
        today = todays[uid]
        facts = facts_from(
            reminders,
            now,
            push_on=uid in subscribed,
            done_today=(uid, today) in done,
            done_yesterday=(uid, today - timedelta(days=1)) in done,
            sent_today=(uid, today) in sent,
        )
        kind = due_reminder(facts)
        if kind is None:
            continue
        if not may_be_nudged(reminders.patient, uid in routines):
            summary.held += 1
            continue
        due[uid] = (reminders, kind, today)
    if not due:
        return
    mine = claim_many({uid: (kind, day) for uid, (_r, kind, day) in due.items()})
    library = library_stamp()
    summary.skipped += len(due) - len(mine)
    delivered = []
    for uid, claimed in mine.items():
        reminders, kind, _day = due[uid]
        try:
            routine, version = routines[uid]
            summary_of = routine_summary(reminders.patient, routine, version, library)
            send_by_push_or_mail(reminders, kind, uid in subscribed, mailer, summary_of)
        except Exception as error:  # the SMTP server said no, or could not be reached
            log.warning("reminder to %s failed: %s", reminders.patient.email, error)
            SentReminder.objects.filter(pk=claimed).update(
                status=SentReminder.Status.FAILED, error=str(error)[:300]
            )
            summary.failed += 1
            mailer.reset()
            continue
        delivered.append(claimed)
    SentReminder.objects.filter(pk__in=delivered).update(
        status=SentReminder.Status.SENT, sent_at=timezone.now()
    )
    summary.sent += len(delivered)


def active_routines(patient_ids: list[int]) -> dict[int, tuple[Routine, RoutineVersion]]:
    """Each patient's active routine and its current version (as ``active_routine`` and
    ``Routine.current`` choose them), for many patients with two queries."""
    routines: dict[int, Routine] = {}
    active = Routine.objects.filter(patient_id__in=patient_ids, is_active=True)
    for routine in active.order_by("patient_id", "created_at", "pk"):
        routines[routine.patient_id] = routine  # the newest wins
    current: dict[int, RoutineVersion] = {}
    versions = RoutineVersion.objects.filter(routine__in=list(routines.values()))
    for version in versions.order_by("routine_id", "number"):
        current[version.routine_id] = version  # the highest number wins
    return {
        uid: (routine, current[routine.pk])
        for uid, routine in routines.items()
        if routine.pk in current
    }


def claim_many(wanted: dict[int, tuple[Kind, date]]) -> dict[int, int]:
    """Claim each patient's one message of their day; {patient id: claimed row id} for those
    this run won. One insert for the batch (rows another run holds are left alone), then the
    failed ones that may be tried again, each by the conditional update only one run wins."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            [
                SentReminder(patient_id=uid, kind=kind, local_date=day, claim=token)
                for uid, (kind, day) in wanted.items()
            ],
            ignore_conflicts=True,
        )
    won = dict(
        SentReminder.objects.filter(claim=token, patient_id__in=list(wanted)).values_list(
            "patient_id", "pk"
        )
    )
    lost = [uid for uid in wanted if uid not in won]
    retry = SentReminder.objects.filter(
        patient_id__in=lost, status=SentReminder.Status.FAILED, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", "patient_id", "local_date")
    for pk, uid, day in list(retry):
        kind, wanted_day = wanted[uid]
        if day != wanted_day:
            continue
        taken = SentReminder.objects.filter(
            pk=pk, status=SentReminder.Status.FAILED, attempts__lt=MAX_ATTEMPTS
        ).update(
            status=SentReminder.Status.CLAIMED, kind=kind, claim=token, attempts=F("attempts") + 1
        )
        if taken:
            won[uid] = pk
    return won


class NotDelivered(Exception):
    """No notification got through and e-mail is off."""


def send_by_push_or_mail(
    reminders: ReminderSettings,
    kind: Kind,
    push_on: bool,
    mailer: Mailer | None = None,
    routine: RoutineSummary | None = None,
) -> None:
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
    send_reminder(reminders, kind, mailer.connection() if mailer else None, routine)


# What a reminder notification says: nothing about the patient's health.
DAILY_PUSH = _("Time for your stretches")
NUDGE_PUSH = _("Your stretches are waiting: a short session still counts")


def may_be_nudged(user: User, has_routine: bool) -> bool:
    """Only someone with a routine they may start now: never "your stretches are waiting" to
    a person whose safety answers need a clinician first. (``has_routine``: the caller reads
    the active routines of a whole batch at once.)"""
    return has_routine and access.practice_gate(user) is None
