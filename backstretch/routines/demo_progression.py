"""Demo progression, one of each kind, made by the real rules from the demo patients' sessions.

* Maria (calm for weeks): progression "propose"; her sessions earn a step up that waits for
  her clinician's Accept.
* Lena (the recent "a lot" during the hip flexor stretch): progression "automatic"; the step
  down is saved at once as a new version, and her today page says why.
  Then one more session yesterday evening, stopped early with pain 6 → 9: a second step down,
  saved at once too, and the safety questions again before her next session.

Runs after ``core.demo.load_demo``; running it again adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.db.models import F

from backstretch.accounts.models import User
from backstretch.practice.models import PracticeSession
from backstretch.practice.schemas import SessionIn
from backstretch.practice.services import record_session

from .models import ProgressionSettings, Routine
from .progression import RESCREEN_JUMP
from .progression_services import after_session
from .services import active_routine

DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-3b7a-4f3e-9a51-2b8e0d4c7a10")


def _set_mode(routine: Routine, mode: str) -> bool:
    """Set the demo's mode once; False when the routine was set up before (nothing to do)."""
    _, created = ProgressionSettings.objects.get_or_create(routine=routine, defaults={"mode": mode})
    return created


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _step_up_for_maria() -> None:
    user = _user("maria@demo.backstretch.test")
    routine = active_routine(user) if user else None
    if routine is None or not _set_mode(routine, ProgressionSettings.Mode.PROPOSE):
        return
    last = routine.current.sessions.order_by("-started_at").first()
    if last is not None:
        after_session(last)


def _step_down_for_lena() -> None:
    user = _user("lena@demo.backstretch.test")
    routine = active_routine(user) if user else None
    if routine is None or not _set_mode(routine, ProgressionSettings.Mode.AUTO):
        return
    flare = (
        routine.current.sessions.filter(hurt_reports__severity__in=["lot", "sharp"])
        .order_by("-started_at")
        .first()
    )
    if flare is not None:
        after_session(flare)


def _pain_jump_for_lena() -> None:
    """One more session yesterday evening, stopped early: pain 6 → 9 (no "this hurts")."""
    user = _user("lena@demo.backstretch.test")
    routine = active_routine(user) if user else None
    if user is None or routine is None:
        return
    jumps = PracticeSession.objects.filter(
        patient=user, pain_after__gte=F("pain_before") + RESCREEN_JUMP
    )
    if jumps.exists():
        return  # an earlier run stored it already
    zone = user.zone
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    started = datetime.combine(yesterday, time(19, 10), tzinfo=zone)
    client_id = uuid.uuid5(DEMO_NAMESPACE, f"{user.email} pain jump {yesterday.isoformat()}")
    data = SessionIn.model_validate(
        {
            "client_id": str(client_id),
            "routine_version": routine.current.pk,
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=4)).isoformat(),
            "pain_before": 6,
            "pain_after": 9,
            "completed": False,
            "note": "Had to stop, my back really flared up.",
        }
    )
    record_session(user, data)


def load_demo_progressions() -> None:
    _step_up_for_maria()
    _step_down_for_lena()
    _pain_jump_for_lena()
