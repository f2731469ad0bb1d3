from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

import pytest

from backstretch.practice.models import PracticeSession
from backstretch.routines.services import active_routine
from backstretch.safety.models import RedFlagScreen

from .smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)


@pytest.fixture
def alice(patient):
    """Alice (Europe/London), cleared to practise, reminded at 07:30 every day from 1 Nov 2026
    by e-mail and calendar."""
    from backstretch.reminders.services import settings_for

    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    reminders = settings_for(patient)
    reminders.time = time(7, 30)
    reminders.days = list(range(7))
    reminders.channels = ["email", "calendar"]
    reminders.first_day = date(2026, 11, 1)
    reminders.save()
    return patient


def practise(user, day: date) -> PracticeSession:
    """A session the patient did at 09:00 UTC on ``day`` (their local date in London)."""
    version = active_routine(user).current
    started = datetime.combine(day, time(9), tzinfo=UTC)
    return PracticeSession.objects.create(
        client_id=uuid4(),
        patient=user,
        routine_version=version,
        started_at=started,
        ended_at=started + timedelta(minutes=9),
        local_date=day,
        completed=True,
    )
