from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from backstretch import access
from backstretch.accounts.models import User
from backstretch.dates import long_date
from backstretch.library.models import Exercise
from backstretch.library.schema import Position
from backstretch.routines.models import RoutineVersion, build_item
from backstretch.routines.templates import item_voice
from backstretch.routines.timeline import RoutineItem, compile_timeline
from backstretch.safety.rescreen import ask_again_if_needed

from . import queries
from .badday import PositionOption, bad_day_items
from .models import HurtReport, PracticeSession
from .schemas import CLOCK_SKEW, SessionIn
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


class SessionRefused(ValueError):
    """The session cannot have been played on the version it names: ``field`` says where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def steps_in(version: RoutineVersion, variant: str) -> int:
    """How many steps this version's timeline has (the longer of it and its bad-day cut, for
    that variant).

    Versions never change, nor does how many steps their items compile to: cached for a day.
    """
    key = f"timeline-steps:1:{version.pk}:{variant}"
    count: int | None = cache.get(key)
    if count is None:
        items = version.routine_items()
        count = len(compile_timeline(items).steps)
        if variant == "bad_day":
            count = max(count, len(compile_timeline(bad_day_routine(items)).steps))
        cache.set(key, count, 24 * 60 * 60)
    return count


PLAYED_PER_TIMELINE_STEP = 2


def check_fits_version(data: SessionIn, version: RoutineVersion) -> None:
    """A session is played on a version that existed, and holds no more than it has; raises
    SessionRefused saying what to fix."""
    if data.started_at < version.created_at - CLOCK_SKEW:
        made = long_date(version.created_at, "j F Y")
        raise SessionRefused(
            "started_at",
            _(
                "before version %(number)s of this routine existed (it was made on %(made)s): "
                "check the device's clock, or send the version that was played"
            )
            % {"number": version.number, "made": made},
        )
    if not data.steps and not data.hurt_reports:
        return
    timeline = steps_in(version, data.variant)
    # A "this hurts" can swap a gentler or shorter version of the rest of an exercise in, which
    # may have more steps than what it replaces (both sides in bed, say); never twice as many.
    limit = PLAYED_PER_TIMELINE_STEP * timeline
    if len(data.steps) > limit:
        raise SessionRefused(
            "steps",
            _(
                "%(count)s steps, but a session of this version plays at most %(limit)s (its "
                "timeline has %(timeline)s): send one result per step played"
            )
            % {"count": len(data.steps), "limit": limit, "timeline": timeline},
        )
    highest = max([s.index for s in data.steps] + [r.step_index for r in data.hurt_reports])
    if highest >= limit:
        raise SessionRefused(
            "steps",
            _(
                "step %(highest)s cannot have been played: a session of this version has steps "
                "0 to %(last)s at most"
            )
            % {"highest": highest, "last": limit - 1},
        )
    if len(data.hurt_reports) > limit:
        raise SessionRefused(
            "hurt_reports",
            _(
                "%(count)s reports, but a session of this version plays at most %(limit)s "
                "steps: send at most one per step"
            )
            % {"count": len(data.hurt_reports), "limit": limit},
        )


def local_date_of(user: User, session: SessionIn) -> date:
    return session.started_at.astimezone(user.zone).date()


def record_session(
    patient: User, data: SessionIn, source: str = PracticeSession.Source.WEB
) -> tuple[PracticeSession, bool]:
    """Store a performed session once: a repeat of the same client id returns the stored one.

    Returns (session, created). Raises Http404 when the routine version is not the patient's,
    SessionRefused when the session does not fit that version (dated before it existed, more
    steps than its timeline), and SessionConflict when another person already used the id.
    """
    # No look-up first: a new client id is the usual case, and a repeat fails the unique
    # client id below and returns the stored session.
    version = access.get_routine_version_for_patient(patient, data.routine_version)
    check_fits_version(data, version)
    steps = [step.model_dump(exclude_none=True) for step in data.steps]
    holds = [s for s in data.steps if s.kind in (None, "hold")]  # activities are not holds
    session = PracticeSession(
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
    reports = [
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
    ]
    values = queries.session_values(session)  # made before the write lock is taken
    try:
        with transaction.atomic():
            queries.insert_session(session, values)
            hurts = HurtReport.objects.bulk_create(reports)
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


__all__ = ["Http404", "SessionConflict", "SessionRefused", "record_session"]
