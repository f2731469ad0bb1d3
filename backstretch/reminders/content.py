"""What a reminder shows and where its links go, for the e-mail, the calendar feed and the
settings page alike."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse

from backstretch.accounts.models import User
from backstretch.library.models import Exercise
from backstretch.links import absolute_url
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline

from .models import ReminderSettings


def feed_url(reminders: ReminderSettings, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("reminders:feed", args=[reminders.feed_token]), request)


@dataclass(frozen=True)
class RoutineSummary:
    name: str
    minutes: int


def library_stamp() -> str:
    """When the exercise library was last synced (its cues and move-in beats time a routine)."""
    return str(Exercise.objects.aggregate(newest=Max("synced_at"))["newest"])


def routine_summary(
    user: User,
    routine: Routine | None = None,
    version: RoutineVersion | None = None,
    library: str | None = None,
) -> RoutineSummary | None:
    """The active routine's name and its length in whole minutes (rounded up) at the
    patient's pace, if any. ``routine``, its current ``version`` and ``library_stamp()``: when
    the caller has them."""
    if routine is None:
        routine = active_routine(user)
        if routine is None:
            return None
    if version is None:
        version = routine.current
    profile = getattr(user, "patient", None)
    pace = profile.pace if profile is not None else "usual"
    seconds = routine_seconds(json.dumps(version.items), library or library_stamp(), pace)
    return RoutineSummary(routine.name, max(1, -(-seconds // 60)))


@functools.lru_cache(maxsize=2048)
def routine_seconds(items: str, library: str, pace: str = "usual") -> int:
    """How long a version's items take at ``pace``, by the items (many patients share a
    template's), the library's last sync (its cues and move-in beats count too) and the pace."""
    try:
        return compile_timeline(
            RoutineVersion(items=json.loads(items)).routine_items(), pace=pace
        ).total_seconds
    except (ValueError, KeyError):
        return 0
