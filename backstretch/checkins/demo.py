"""Demo check-ins: weekly PEG answers for every demo patient, and one answered STarT Back per
clinic. Called by `backstretch demo` after the accounts exist; running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from backstretch.accounts.models import User
from backstretch.core.demo import DemoLogin, history_window

from .models import PegCheckin, StartBack
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
