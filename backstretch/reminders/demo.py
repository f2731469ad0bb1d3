"""Demo data: every demo patient gets reminder settings (their own time, e-mail and calendar)."""

from __future__ import annotations

from collections.abc import Iterable

from backstretch.accounts.demo import DemoLogin
from backstretch.accounts.models import User

from .models import Channel
from .services import settings_for


def load_demo(logins: list[DemoLogin]) -> None:
    give_demo_reminders(login.email for login in logins if login.role == "patient")


def give_demo_reminders(emails: Iterable[str]) -> None:
    for user in User.objects.filter(email__in=list(emails), patient__isnull=False):
        reminders = settings_for(user)  # created once from the profile's time and routine days
        if reminders.channels != list(Channel.values):
            reminders.channels = list(Channel.values)
            reminders.save(update_fields=["channels", "updated_at"])
