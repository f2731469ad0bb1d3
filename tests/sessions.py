"""One way to make a practice session in tests: a body as the player uploads it (``SessionIn``),
stored as the app stores it (``practise``) or posted to the API by the test itself."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.test import TestCase
from django.utils import timezone

from backstretch.accounts.models import User
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.practice.schemas import SessionIn
from backstretch.practice.services import record_session
from backstretch.routines.services import active_routine

SESSIONS_URL = "/api/v1/me/sessions"

# One hold done, one that hurt (a lot), one skipped: steps as an older player sent them.
STEPS: list[dict[str, Any]] = [
    {"index": 0, "result": "done"},
    {"index": 1, "result": "hurt", "hurt_severity": "lot"},
    {"index": 2, "result": "skipped"},
]


def hurt_report(
    exercise: str,
    severity: str,
    *,
    step_index: int = 4,
    position: str = "floor",
    action: str = "continue",
    **fields: Any,
) -> dict[str, Any]:
    """A "this hurts" report; without ``reported_at`` it is given the session's end."""
    return {
        "step_index": step_index,
        "exercise": exercise,
        "position": position,
        "severity": severity,
        "action": action,
        **fields,
    }


def session_body(
    user: User,
    *,
    day: date | None = None,
    days_ago: int | None = None,
    at: time = time(9),
    ended: datetime | None = None,
    minutes: float = 10,
    **fields: Any,
) -> dict[str, Any]:
    """A valid session of ``user``'s current routine version: ``minutes`` long, pain 5 → 4,
    completed, no steps, no "this hurts", no note; ``fields`` replace any of these.

    When: at ``at`` on ``day`` in the user's own zone, or ``days_ago`` days before their
    today; else ending at ``ended``, by default a minute ago.
    """
    if day is None and days_ago is not None:
        day = user.today() - timedelta(days=days_ago)
    if day is not None:
        started = datetime.combine(day, at, tzinfo=user.zone)
        end = started + timedelta(minutes=minutes)
    else:
        end = ended or timezone.now() - timedelta(minutes=1)
        started = end - timedelta(minutes=minutes)
    routine = active_routine(user)
    assert routine is not None, f"{user} has no routine"
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "routine_version": routine.current.pk,
        "started_at": started.isoformat(),
        "ended_at": end.isoformat(),
        "pain_before": 5,
        "pain_after": 4,
        "note": "",
        "completed": True,
        "steps": [],
        "hurt_reports": [],
    }
    body.update(fields)
    if isinstance(body["hurt_reports"], list):
        body["hurt_reports"] = [
            {"reported_at": body["ended_at"], **report} if isinstance(report, dict) else report
            for report in body["hurt_reports"]
        ]
    return body


def minutes_ago(minutes: float) -> datetime:
    return timezone.now() - timedelta(minutes=minutes)


def practise(user: User, **changes: Any) -> PracticeSession:
    """Store a session (``session_body`` with ``changes``) through ``record_session``, as an
    upload does; the hooks that wait for the commit (progression) run as a commit would run
    them, which the test's own transaction never does."""
    data = SessionIn.model_validate(session_body(user, **changes))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return record_session(user, data)[0]


def post_session(client: Any, body: dict[str, Any]) -> Any:
    """``POST /api/v1/me/sessions`` with ``body`` as JSON, as the player sends it."""
    return client.post(SESSIONS_URL, json.dumps(body), content_type="application/json")


def sharp_hurt_on_latest(user: User) -> HurtReport:
    """A sharp "this hurts" an hour ago on ``user``'s latest session, on its own (no new
    session): a new fact for the clinician's dashboard."""
    return HurtReport.objects.create(
        session=PracticeSession.objects.filter(patient=user).latest("local_date"),
        patient=user,
        step_index=2,
        exercise="childs-pose",
        position="floor",
        side="",
        severity="sharp",
        action="stop",
        reported_at=timezone.now() - timedelta(hours=1),
    )
