from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.http import Http404

from backstretch import access
from backstretch.accounts.models import User
from backstretch.library.models import Exercise
from backstretch.library.schema import Position
from backstretch.routines.models import build_item
from backstretch.routines.templates import item_voice
from backstretch.routines.timeline import RoutineItem
from backstretch.safety.rescreen import ask_again_if_needed

from .badday import PositionOption, bad_day_items
from .models import HurtReport, PracticeSession
from .schemas import SessionIn
from .signals import session_recorded

# On a bad day when nothing in the routine can be done from bed or a chair: slow breathing.
FALLBACK_EXERCISE = "relaxed-breathing"


def bad_day_routine(items: list[RoutineItem]) -> list[RoutineItem]:
    """The patient's own routine cut to its 2–3 minute bad-day version (see badday.py)."""
    slugs = {i.exercise for i in items} | {FALLBACK_EXERCISE}
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    options = {slug: position_options(exercise) for slug, exercise in exercises.items()}
    breathing = exercises[FALLBACK_EXERCISE].spec
    fallback = build_item(
        {"exercise": FALLBACK_EXERCISE, "position": Position.BED.value}
        | breathing.dosage_for(Position.BED).model_dump(mode="json"),
        exercises[FALLBACK_EXERCISE],
    )
    return bad_day_items(items, options, fallback)


def position_options(exercise: Exercise) -> dict[str, PositionOption]:
    spec = exercise.spec
    options = {}
    for position, variant in spec.positions.items():
        dosage = spec.dosage_for(position)
        starts = variant.voice.starts
        options[position.value] = PositionOption(
            posture=starts.value if starts else "",
            cue=variant.cue,
            hold_seconds=dosage.hold_seconds,
            sides=dosage.sides.value,
            rest_seconds=dosage.rest_seconds,
            voice=item_voice(variant),
        )
    return options


class SessionConflict(Exception):
    """The client id is already used by another person's session."""


def local_date_of(user: User, session: SessionIn) -> date:
    return session.started_at.astimezone(user.zone).date()


def record_session(
    patient: User, data: SessionIn, source: str = PracticeSession.Source.WEB
) -> tuple[PracticeSession, bool]:
    """Store a performed session once: a repeat of the same client id returns the stored one.

    Returns (session, created). Raises Http404 when the routine version is not the patient's,
    and SessionConflict when another person already used the client id.
    """
    # No look-up first: a new client id is the usual case, and a repeat fails the unique
    # client id below and returns the stored session.
    version = access.get_routine_version_for_patient(patient, data.routine_version)
    steps = [step.model_dump(exclude_none=True) for step in data.steps]
    holds = [s for s in data.steps if s.kind in (None, "hold")]  # activities are not holds
    try:
        with transaction.atomic():
            session = PracticeSession.objects.create(
                client_id=data.client_id,
                patient=patient,
                routine_version=version,
                started_at=data.started_at,
                ended_at=data.ended_at,
                local_date=local_date_of(patient, data),
                pain_before=data.pain_before,
                pain_after=data.pain_after,
                note=data.note,
                steps=steps,
                holds_done=sum(1 for s in holds if s.result == "done"),
                holds_skipped=sum(1 for s in holds if s.result == "skipped"),
                hurts=max(len(data.hurt_reports), sum(1 for s in data.steps if s.result == "hurt")),
                completed=data.completed,
                variant=data.variant,
                source=source,
            )
            hurts = HurtReport.objects.bulk_create(
                HurtReport(
                    session=session,
                    patient=patient,
                    step_index=report.step_index,
                    exercise=report.exercise,
                    position=report.position,
                    side=report.side or "",
                    severity=report.severity,
                    numbness=report.numbness,
                    action=report.action,
                    reported_at=report.reported_at,
                )
                for report in data.hurt_reports
            )
            ask_again_if_needed(session, hurts)  # stored means asked
            transaction.on_commit(
                lambda: session_recorded.send(sender=PracticeSession, session=session)
            )
    except IntegrityError:
        # A repeat, or another request storing the same client id at the same moment.
        existing = PracticeSession.objects.filter(client_id=data.client_id).first()
        if existing is None:
            raise
        return _same_owner(existing, patient), False
    return session, True


def _same_owner(session: PracticeSession, patient: User) -> PracticeSession:
    if session.patient_id != patient.pk:
        raise SessionConflict("this session id is already in use")
    return session


__all__ = ["Http404", "SessionConflict", "record_session"]
