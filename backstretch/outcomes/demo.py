"""Demo outcomes, added by `backstretch demo` after the people and their history exist;
running it again adds nothing.

Check-ins: weekly PEG answers for every demo patient, and one answered STarT Back per clinic.

Progression, one of each kind, made by the real rules from the demo patients' sessions:
* Maria (calm for weeks): progression "propose"; her sessions earn a step up that waits for
  her clinician's Accept.
* Lena (the recent "a lot" during the hip flexor stretch): progression "automatic"; the step
  down is saved at once as a new version, and her today page says why.
  Then one more session yesterday evening, stopped early with pain 6 → 9: a second step down,
  saved at once too, and the safety questions again before her next session.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backstretch.accounts.demo import DemoLogin, history_window
from backstretch.accounts.models import User
from backstretch.practice.models import PracticeSession
from backstretch.practice.schemas import SessionIn
from backstretch.practice.services import record_session
from backstretch.routines.models import Routine
from backstretch.routines.services import active_routine
from backstretch.safety.stop_rules import RESCREEN_JUMP

from .models import PegCheckin, ProgressionSettings, StartBack
from .progression_services import after_session
from .scoring import start_back_score

WEEKS = 6
# Per patient (by position in the demo list): first-week PEG items and the weekly change.
# Most improve slowly; one stays flat, one skips a week (a skip is a real answer too).
PROFILES = [
    ((7, 6, 6), -1),
    ((5, 4, 5), 0),
    ((6, 6, 5), -1),
    ((4, 3, 3), 0),
    ((8, 7, 7), -1),
    ((5, 5, 4), -1),
]
SKIPPED_WEEK = 3  # the second patient skipped their fourth week
# Agree with items 1, 3, 5, 6 and "very much" bothered: overall 5, distress 3 → medium risk.
START_BACK_ANSWERS = [1, 0, 1, 0, 1, 1, 0, 0, 3]


def load_demo(logins: list[DemoLogin]) -> None:
    load_demo_checkins(logins)
    load_demo_progressions()


@transaction.atomic
def load_demo_checkins(logins: list[DemoLogin]) -> None:
    patients = [login for login in logins if login.role == "patient"]
    asked_clinics: set[str | None] = set()
    for number, login in enumerate(patients):
        user = User.objects.get(email=login.email)
        first_day, last_day = history_window(user.time_zone)
        start, step = PROFILES[number % len(PROFILES)]
        for week in range(WEEKS):
            day = first_day + timedelta(weeks=week)
            if day > last_day:
                break
            skipped = number == 1 and week == SKIPPED_WEEK
            values = [max(0, min(10, v + step * (week // 2))) for v in start]
            PegCheckin.objects.update_or_create(
                patient=user,
                local_date=day,
                defaults={
                    "skipped": skipped,
                    "pain": None if skipped else values[0],
                    "enjoyment": None if skipped else values[1],
                    "activity": None if skipped else values[2],
                },
            )
        if login.clinic not in asked_clinics:
            asked_clinics.add(login.clinic)
            _answered_start_back(user, login.clinic)


def _answered_start_back(user: User, clinic: str | None) -> None:
    if StartBack.objects.filter(patient=user).exists():
        return
    clinician = User.objects.filter(
        memberships__clinic__name=clinic, memberships__is_clinician=True
    ).first()
    result = start_back_score(START_BACK_ANSWERS)
    StartBack.objects.create(
        patient=user,
        requested_by=clinician,
        answers=START_BACK_ANSWERS,
        overall=result.overall,
        distress=result.distress,
        risk=result.risk.value,
        answered_at=timezone.now() - timedelta(weeks=WEEKS),
    )


# --- Progression ---------------------------------------------------------------------------

PROGRESSION_NAMESPACE = uuid.UUID("6f1d2c1e-3b7a-4f3e-9a51-2b8e0d4c7a10")


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
    client_id = uuid.uuid5(PROGRESSION_NAMESPACE, f"{user.email} pain jump {yesterday.isoformat()}")
    data = SessionIn.model_validate(
        {
            "client_id": str(client_id),
            # The version in force yesterday evening (a step down may have been saved since).
            "routine_version": routine.versions.filter(created_at__lte=started)
            .order_by("-number")
            .values_list("pk", flat=True)
            .first()
            or routine.current.pk,
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
