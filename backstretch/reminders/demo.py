"""Demo data: every demo patient gets reminder settings (their own time, e-mail and calendar)."""

from __future__ import annotations

from collections.abc import Iterable

from backstretch.accounts.models import User

from .services import settings_for


def give_demo_reminders(emails: Iterable[str]) -> None:
    for user in User.objects.filter(email__in=list(emails), patient__isnull=False):
        settings_for(user)  # created once from the profile's time and the routine's days
