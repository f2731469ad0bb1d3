"""What a reminder shows and where its links go, for the e-mail, the calendar feed and the
settings page alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from backstretch.accounts.models import User
from backstretch.links import absolute_url
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline

from .models import ReminderSettings


def feed_url(reminders: ReminderSettings, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("reminders:feed", args=[reminders.feed_token]), request)


@dataclass(frozen=True)
class RoutineSummary:
    name: str
    minutes: int


def routine_summary(user: User) -> RoutineSummary | None:
    """The active routine's name and its length in whole minutes (rounded up), if any."""
    routine = active_routine(user)
    if routine is None:
        return None
    try:
        seconds = compile_timeline(routine.current.routine_items()).total_seconds
    except (ValueError, KeyError):
        seconds = 0
    return RoutineSummary(routine.name, max(1, -(-seconds // 60)))
