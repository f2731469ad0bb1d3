"""The patient's own API: today's routine as a timeline, the routine, sessions (list and save)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from backstretch import access
from backstretch.accounts.models import User
from backstretch.accounts.requests import api_user_of
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline

from . import queries
from .models import PracticeSession
from .schemas import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    RoutineOut,
    SessionIn,
    SessionOut,
    SessionPage,
    TodayOut,
)
from .services import SessionConflict, SessionRefused, record_session

router = Router(tags=["patient"])

GATE_MESSAGES = {
    access.Gate.NOT_ONBOARDED: "You are not set up as a patient yet: choose your preferences "
    "at /accounts/welcome/ first.",
    access.Gate.NEEDS_SCREEN: "Answer the safety questions at /safety/check/ before starting "
    "a routine.",
    access.Gate.NEEDS_CLEARANCE: "Your latest safety answers need a clinician's check first: "
    "see /safety/check/result/ for what to do and how your routine unlocks again.",
}


class PageQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=100, description="sessions per page")] = 20
    offset: Annotated[int, Field(ge=0, le=1_000_000, description="sessions to skip")] = 0


def patient_of(request: HttpRequest) -> User:
    """The logged-in patient cleared to practise, else a 403 saying what is missing."""
    user = api_user_of(request)
    gate = access.practice_gate(user)
    if gate is not None:
        raise PatientGate(GATE_MESSAGES.get(gate, "You cannot start a routine yet."))
    return user


class PatientGate(Exception):
    """The user may not practise yet (raised as a 403 with the reason)."""


def session_out(session: PracticeSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "client_id": session.client_id,
        "routine_version": session.routine_version_id,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "local_date": session.local_date,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "note": session.note,
        "completed": session.completed,
        "variant": session.variant,
        "holds_done": session.holds_done,
        "holds_skipped": session.holds_skipped,
        "hurts": session.hurts,
        "steps": session.steps,
    }


def session_page(sessions: Any, limit: int, offset: int) -> dict[str, Any]:
    """One page of a PracticeSession queryset, newest first."""
    ordered = sessions.order_by("-started_at", "-pk")
    return {
        "count": sessions.count(),
        "limit": limit,
        "offset": offset,
        "items": [session_out(s) for s in ordered[offset : offset + limit]],
    }


def routine_ref(routine: Routine, version: RoutineVersion) -> dict[str, Any]:
    return {"id": routine.pk, "version": version.pk, "number": version.number, "name": routine.name}


# Compiled timelines per (routine version, language), in Django's cache. Versions never change;
# the library's cues can (``backstretch library sync``), so a cached timeline lives this long at
# most. Raise TIMELINE_FORMAT when the timeline's JSON changes shape, for shared caches.
TIMELINE_SECONDS = 60
TIMELINE_FORMAT = 1


def timeline_json(version_id: int, pace: str = "usual") -> str:
    """The version's timeline at the patient's ``pace`` in its JSON form, serialised (compiled
    at most once a minute)."""
    key = f"timeline:{TIMELINE_FORMAT}:{version_id}:{get_language() or ''}:{pace}"
    text: str | None = cache.get(key)
    if text is None:
        version = RoutineVersion.objects.get(pk=version_id)
        timeline = compile_timeline(version.routine_items(), translate=_, pace=pace)
        text = json.dumps(timeline.to_json(), ensure_ascii=False)
        cache.set(key, text, TIMELINE_SECONDS)
    return text


@router.get(
    "/today",
    response={200: TodayOut, 403: ErrorOut, **COMMON_ERRORS},
    summary="Today: the routine to play, as a timeline, and whether today is done",
)
def today(request: HttpRequest) -> HttpResponse:
    """``routine.version`` is the id to send back as ``routine_version`` with the session.
    The timeline is played at the pace the patient chose on their profile."""
    user = patient_of(request)
    day = user.today()
    done, current = queries.today_rows(user.pk, day)
    answer: dict[str, Any] = {
        "date": day.isoformat(),
        "routine": None,
        "done_today": done,
        "rest_day": False,
    }
    timeline = "null"
    if current is not None:
        version_id, number, days, routine_id, name = current
        answer["routine"] = {
            "id": routine_id,
            "version": version_id,
            "number": number,
            "name": name,
        }
        answer["rest_day"] = bool(days) and day.weekday() not in days
        timeline = timeline_json(version_id, user.patient.pace)
    # Already-serialised timeline spliced in: the hot path skips re-validating ~100 steps.
    body = json.dumps(answer, ensure_ascii=False)[:-1] + ', "timeline": ' + timeline + "}"
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get(
    "/routine",
    response={200: RoutineOut, 403: ErrorOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="The current version of the patient's routine",
)
def routine(request: HttpRequest) -> dict[str, Any]:
    user = patient_of(request)
    current = active_routine(user)
    if current is None:
        raise Http404("You have no routine yet.")
    version = current.current
    items = [
        {
            "exercise": item.exercise,
            "name": item.name,
            "position": item.position,
            "hold_seconds": item.hold_seconds,
            "repetitions": item.repetitions,
            "sides": item.sides,
            "rest_seconds": item.rest_seconds,
            "note": item.note,
        }
        for item in version.routine_items()
    ]
    return {
        **routine_ref(current, version),
        "days": version.days,
        "times_per_day": version.times_per_day,
        "review_date": version.review_date,
        "items": items,
    }


@router.get(
    "/sessions",
    response={200: SessionPage, **COMMON_ERRORS},
    summary="The patient's own sessions, newest first",
)
def list_sessions(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    sessions = PracticeSession.objects.filter(patient=api_user_of(request))
    return session_page(sessions, page.limit, page.offset)


@router.post(
    "/sessions",
    response={
        200: SessionOut,
        201: SessionOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        **WRITE_ERRORS,
    },
    summary="Save a performed session (idempotent by client_id)",
    url_name="post_session",
)
def post_session(request: HttpRequest, payload: SessionIn) -> Status[dict[str, Any]]:
    """First post of a client_id creates the session (201); a repeat returns it (200)."""
    source = (
        PracticeSession.Source.API
        if request.headers.get("Authorization")
        else PracticeSession.Source.WEB
    )
    try:
        session, created = record_session(api_user_of(request), payload, source=source)
    except Http404:
        return Status(404, {"detail": "routine_version: no such routine version of yours"})
    except SessionConflict:
        return Status(409, {"detail": "client_id: already used by another session; use a new id"})
    except SessionRefused as refused:
        errors = [{"field": refused.field, "message": refused.message}]
        return Status(422, {"detail": str(refused), "errors": errors})
    return Status(201 if created else 200, session_out(session))
