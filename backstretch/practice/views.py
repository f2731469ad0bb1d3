"""The patient's Today and History pages. Dates are the patient's own local dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.accounts.requests import user_of
from backstretch.library.models import Exercise
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline

from . import charts, stats
from .badday import BAD_DAY_PARAMETER
from .calendar import calendar_cells, calendar_start, weekday_headings
from .decorators import practice_allowed
from .models import PracticeSession
from .services import bad_day_routine
from .tips import Moment, tip_for, translated_tip
from .wording import about_minutes, needs_text, routine_lines, streak_words

RECENT_SESSIONS = 8
JUST_FINISHED = timedelta(hours=1)  # a session ended this recently gets an after-session tip


def _practised_days(user: User, since: date | None = None) -> list[date]:
    sessions = PracticeSession.objects.filter(patient=user)
    if since is not None:
        sessions = sessions.filter(local_date__gte=since)
    return list(sessions.values_list("local_date", flat=True))


def _tip_moment(user: User, day: date, practised: list[date], plan_days: list[int]) -> Moment:
    if day in practised:
        last = PracticeSession.objects.filter(patient=user).order_by("-ended_at").first()
        if last is not None and timezone.now() - last.ended_at <= JUST_FINISHED:
            return Moment.AFTER_SESSION
        return Moment.TODAY
    yesterday = day - timedelta(days=1)
    planned = yesterday.weekday() in plan_days
    if planned and yesterday not in practised and any(d < yesterday for d in practised):
        return Moment.MISSED_DAY
    return Moment.TODAY


# What Today shows of a routine version (its list with figures, what to have ready, how long
# it and its bad-day version take) in Django's cache, per version and language. A version never
# changes; the library can (``backstretch library sync``), and its newest change is in the key.
# Raise SUMMARY_FORMAT when the summary or the list's HTML changes, for shared caches.
SUMMARY_FORMAT = 1
SUMMARY_SECONDS = 24 * 60 * 60


def routine_summary(version: RoutineVersion, pace: str = "usual") -> dict[str, Any]:
    library = Exercise.objects.aggregate(newest=Max("synced_at"))["newest"]
    stamp = library.timestamp() if library else 0
    key = f"today:summary:{SUMMARY_FORMAT}:{version.pk}:{get_language() or ''}:{stamp}:{pace}"
    summary: dict[str, Any] | None = cache.get(key)
    if summary is None:
        items = version.routine_items()
        timeline = compile_timeline(items, translate=_, pace=pace)
        short = compile_timeline(bad_day_routine(items), translate=_, pace=pace)
        lines = routine_lines(items)
        summary = {
            "count": len(lines),
            "list": render_to_string("practice/_routine_list.html", {"lines": lines}),
            "needs": needs_text(items),
            "duration": about_minutes(timeline.total_seconds),
            "bad_day_duration": about_minutes(short.total_seconds),
        }
        cache.set(key, summary, SUMMARY_SECONDS)
    return summary


@practice_allowed
def today(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    day = user.today()
    target = user.patient.weekly_target
    practised = _practised_days(user, since=stats.week_start(day) - timedelta(weeks=104))
    streak = stats.weekly_streak(practised, day, target)
    context: dict[str, object] = {
        "today": day,
        "done_today": day in practised,
        "streak": streak,
        "streak_text": streak_words(streak),
        "routine": None,
    }
    routine = active_routine(user)
    if routine is not None:
        version = routine.current
        moment = _tip_moment(user, day, practised, list(version.days))
        context.update(
            routine=routine,
            summary=routine_summary(version, user.patient.pace),
            bad_day_parameter=BAD_DAY_PARAMETER,
            rest_day=day.weekday() not in version.days,
            tip=translated_tip(tip_for(moment, day), get_language()),
            tip_moment=moment.value,
        )
    return render(request, "practice/today.html", context)


@practice_allowed
def history(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    day = user.today()
    first = calendar_start(day)
    sessions = PracticeSession.objects.filter(patient=user)
    window = list(
        sessions.filter(local_date__gte=first, local_date__lte=day)
        .order_by("local_date", "started_at")
        .values_list("local_date", "pain_before", "pain_after")
    )
    practised = _practised_days(user, since=first - timedelta(weeks=104))
    streak = stats.weekly_streak(practised, day, user.patient.weekly_target)
    pain = charts.pain_days(window)
    summary = charts.pain_summary(pain, day)
    context = {
        "today": day,
        "weekdays": weekday_headings(),
        "calendar": calendar_cells([row[0] for row in window], day),
        "streak": streak,
        "streak_text": streak_words(streak),
        "pain_summary": summary,
        "pain_chart": charts.pain_chart_svg(pain, pain[0].day, day, summary) if pain else "",
        "recent": list(sessions.order_by("-started_at")[:RECENT_SESSIONS]),
        "has_sessions": sessions.exists(),
    }
    return render(request, "practice/history.html", context)
