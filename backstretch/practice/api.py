from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from .schemas import SessionIn
from .services import SessionConflict, record_session

router = Router(tags=["patient"], auth=django_auth)


class SessionOut(Schema):
    id: int
    client_id: UUID
    routine_version: int
    started_at: datetime
    ended_at: datetime
    local_date: str
    pain_before: int | None
    pain_after: int | None
    note: str
    completed: bool
    holds_done: int
    holds_skipped: int
    hurts: int


class ErrorOut(Schema):
    detail: str


def session_out(session: object) -> dict[str, object]:
    from .models import PracticeSession

    assert isinstance(session, PracticeSession)
    return {
        "id": session.pk,
        "client_id": session.client_id,
        "routine_version": session.routine_version_id,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "local_date": session.local_date.isoformat(),
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "note": session.note,
        "completed": session.completed,
        "holds_done": session.holds_done,
        "holds_skipped": session.holds_skipped,
        "hurts": session.hurts,
    }


@router.post(
    "/sessions",
    response={200: SessionOut, 201: SessionOut, 404: ErrorOut, 409: ErrorOut},
    summary="Save a performed session (idempotent by client_id)",
)
def post_session(request: HttpRequest, payload: SessionIn) -> Status[dict[str, object]]:
    """First post of a client_id creates the session (201); a repeat returns it (200)."""
    try:
        session, created = record_session(request.user, payload)  # type: ignore[arg-type]
    except Http404:
        return Status(404, {"detail": "routine_version: no such routine version of yours"})
    except SessionConflict:
        return Status(409, {"detail": "client_id: already used by another session; use a new id"})
    return Status(201 if created else 200, session_out(session))
