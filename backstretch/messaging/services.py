"""The thread between a patient and their clinic: finding it, writing to it, reading it.

Who may do which is decided by ``backstretch.access`` before these are called; the clinic's
side writes its audit events where its pages are (``clinic.views_messages``, ``clinic.api``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backstretch.accounts.models import User
from backstretch.library.models import Exercise
from backstretch.library.vocabulary import FIGURE_PLACES
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.push.services import Notification, notify_after_commit

from .models import Message, Thread
from .queries import patient_unread
from .rules import clean_body

# The newest messages a page or an API answer shows.
SHOWN = 200


class MessageRefused(ValueError):
    """The message cannot be sent as written; the text says what to fix."""


def clinic_id_of(patient: User) -> int | None:
    profile = getattr(patient, "patient", None)
    return None if profile is None else profile.clinic_id


def thread_of(patient: User, clinic_id: int) -> Thread:
    """The patient's thread with their clinic, made on first use."""
    found = Thread.objects.filter(patient=patient, clinic_id=clinic_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Thread.objects.create(patient=patient, clinic_id=clinic_id)
    except IntegrityError:  # made at the same moment by another request
        return Thread.objects.get(patient=patient, clinic_id=clinic_id)


def patient_thread(patient: User) -> Thread | None:
    """The patient's own thread; None for a self-guided patient (no clinic, no one to write to)."""
    clinic_id = clinic_id_of(patient)
    return None if clinic_id is None else thread_of(patient, clinic_id)


def recent(thread: Thread, limit: int = SHOWN) -> list[Message]:
    newest = Message.objects.filter(thread=thread).select_related("author", "session")
    return list(reversed(newest.order_by("-id")[:limit]))


def send(thread: Thread, author: User, text: str) -> Message:
    """Store a message from ``author`` (the patient or one of their clinicians). A reply to
    the patient notifies their phones, saying only that there is a new message."""
    try:
        body = clean_body(text)
    except ValueError as problem:
        raise MessageRefused(str(problem)) from None
    from_patient = author.pk == thread.patient_id
    message = Message.objects.create(
        thread=thread, author=author, from_patient=from_patient, body=body
    )
    if from_patient:
        Thread.objects.filter(pk=thread.pk).update(patient_read_id=message.pk)
    else:
        Thread.objects.filter(pk=thread.pk).update(clinic_read_id=message.pk)
        with translation.override(thread.patient.language or settings.LANGUAGE_CODE):
            notification = Notification(  # in the patient's language, not the clinician's
                title=str(_("Backstretch")),
                body=str(_("You have a new message")),
                url=reverse("messaging:thread"),
                tag="messages",
            )
        notify_after_commit(thread.patient, notification)
    return message


def mark_read(thread: Thread, *, by_patient: bool) -> None:
    """One side has seen every message in the thread so far."""
    newest = Message.objects.filter(thread=thread).aggregate(newest=Max("id"))["newest"] or 0
    if by_patient:
        Thread.objects.filter(pk=thread.pk, patient_read_id__lt=newest).update(
            patient_read_id=newest
        )
    else:
        Thread.objects.filter(pk=thread.pk, clinic_read_id__lt=newest).update(clinic_read_id=newest)


def unread_for_patient(patient: User) -> int:
    """Messages from the clinic the patient has not seen yet."""
    clinic_id = clinic_id_of(patient)
    if clinic_id is None:
        return 0
    return patient_unread(patient.pk, clinic_id)


def unread_for_clinic(thread: Thread) -> int:
    return Message.objects.filter(
        thread=thread, from_patient=True, id__gt=thread.clinic_read_id
    ).count()


# --- what a session brings into the thread ----------------------------------------------------

ACTIONS: dict[str, object] = {
    HurtReport.Action.GENTLER: gettext_lazy("I switched to a gentler position."),
    HurtReport.Action.SHORTER: gettext_lazy("I shortened the hold."),
    HurtReport.Action.SKIP: gettext_lazy("I skipped the exercise."),
    HurtReport.Action.CONTINUE: gettext_lazy("I carried on."),
    HurtReport.Action.STOP: gettext_lazy("I stopped the session."),
}


def hurt_words(report: HurtReport, exercise_name: str) -> str:
    words = _("This hurts (%(severity)s) in %(exercise)s, %(place)s.") % {
        "severity": report.get_severity_display(),
        "exercise": exercise_name,
        "place": FIGURE_PLACES.get(report.position, report.position),
    }
    if report.numbness:
        words += " " + _("I felt numbness or tingling.")
    action = ACTIONS.get(report.action)
    if action:
        words += " " + str(action)
    return words


def entries_from_session(session: PracticeSession) -> int:
    """Put the session's note and each "this hurts" into the patient's thread, as their own
    entries (once, however often this is called). None for a self-guided patient."""
    if not session.hurts and not session.note.strip():
        return 0  # most sessions: nothing to put in, and no need to look the thread up
    thread = patient_thread(session.patient)
    if thread is None:
        return 0
    reports = list(HurtReport.objects.filter(session=session).order_by("reported_at", "pk"))
    names = dict(
        Exercise.objects.filter(slug__in={r.exercise for r in reports}).values_list("slug", "name")
    )
    entries = [
        Message(
            thread=thread,
            author=session.patient,
            from_patient=True,
            kind=Message.Kind.HURT,
            body=hurt_words(report, names.get(report.exercise, report.exercise)),
            session=session,
            source=f"hurt:{report.pk}",
            created_at=report.reported_at,
        )
        for report in reports
    ]
    note = session.note.strip()
    if note:
        entries.append(
            Message(
                thread=thread,
                author=session.patient,
                from_patient=True,
                kind=Message.Kind.NOTE,
                body=note[: Message._meta.get_field("body").max_length],
                session=session,
                source=f"note:{session.pk}",
                created_at=session.ended_at,
            )
        )
    made = Message.objects.bulk_create(entries, ignore_conflicts=True)
    return len(made)
