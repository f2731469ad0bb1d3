from __future__ import annotations

from datetime import date, time

import pytest

from tests.cast import cleared

from .smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)


@pytest.fixture
def alice(patient):
    """Alice (Europe/London), cleared to practise, reminded at 07:30 every day from 1 Nov 2026
    by e-mail and calendar."""
    from backstretch.reminders.services import settings_for

    cleared(patient)
    reminders = settings_for(patient)
    reminders.time = time(7, 30)
    reminders.days = list(range(7))
    reminders.channels = ["email", "calendar"]
    reminders.first_day = date(2026, 11, 1)
    reminders.save()
    return patient
