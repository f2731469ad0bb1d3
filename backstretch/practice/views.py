"""The patient's Today and History pages. Dates are the patient's own local dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
from .queries import today_page_row
from .services import bad_day_routine
from .tips import tip_for, translated_tip
from .today import body_key, kept_html, tip_moment
from .wording import about_minutes, needs_text, routine_lines, streak_words

RECENT_SESSIONS = 8


def _practised_days(user: User, since: date | None = None) -> list[date]:
    sessions = PracticeSession.objects.filter(patient=user)
    if since is not None:
        sessions = sessions.filter(local_date__gte=since)
    return list(sessions.values_list("local_date", flat=True))


# What Today shows of a routine version (its list with figures, what to have ready, how long
# it and its bad-day version take) in Django's cache, per version and language. A version never
# changes; the library can (``backstretch library sync``), and its newest change is in the key.
# Raise SUMMARY_FORMAT when the summary or the list's HTML changes, for shared caches.
SUMMARY_FORMAT = 1
SUMMARY_SECONDS = 24 * 60 * 60


def routine_summary(
    version: RoutineVersion, pace: str = "usual", library: datetime | None = None
) -> dict[str, Any]:
    """``library``: the library's newest sync, when the caller has already asked for it."""
    if library is None:
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
    profile = user.patient
    row = today_page_row(user.pk, day)
    moment = tip_moment(day, row, timezone.now())
    # Everything the body is made of; the body itself comes from the cache (practice/today.py).
    # The streak is a function of the day, the weekly target and the sessions (the newest and
    # how many), so those stand for it: it is counted only when the body is built.
    facts = (
        row.sessions,
        row.last_session_id,
        profile.weekly_target,
        row.done_today,
        row.version_id,
        row.routine_name,
        profile.pace,
        row.library_synced_at,
        moment.value,
    )

    def build() -> dict[str, object]:
        practised = _practised_days(user, since=stats.streak_since(day))
        context: dict[str, object] = {
            "today": day,
            "done_today": row.done_today,
            "streak_text": streak_words(stats.weekly_streak(practised, day, profile.weekly_target)),
            "routine": None,
        }
        routine = active_routine(user)
        if routine is not None:
            version = routine.current
            context.update(
                routine=routine,
                summary=routine_summary(version, profile.pace, row.library_synced_at),
                bad_day_parameter=BAD_DAY_PARAMETER,
                rest_day=day.weekday() not in version.days,
                tip=translated_tip(tip_for(moment, day), get_language()),
                tip_moment=moment.value,
            )
        return context

    body = kept_html(request, body_key(user, day, facts), "practice/_today_body.html", build)
    return render(request, "practice/today.html", {"body": body})


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
    practised = _practised_days(user, since=first - timedelta(weeks=stats.STREAK_WEEKS))
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
