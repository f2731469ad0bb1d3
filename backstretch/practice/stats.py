"""Adherence statistics: the forgiving weekly streak, the calendar and the share of planned
sessions done. Pure (no Django).

The streak counts weeks, not days: a week (Monday to Sunday, in the patient's local dates)
"counts" when the patient practised on at least ``target`` different days. One missed day
never breaks anything; the streak breaks only when a whole week ends short of the target.
The week in progress never breaks the streak: it adds one once it reaches the target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_WEEKLY_TARGET = 5
STREAK_WEEKS = 104  # how far back a streak looks: two years


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def streak_since(day: date) -> date:
    """The first day the streak on ``day`` looks at."""
    return week_start(day) - timedelta(weeks=STREAK_WEEKS)


@dataclass(frozen=True)
class WeeklyStreak:
    weeks: int  # consecutive weeks that met the target, including this one if it has
    target: int  # days a week
    days_this_week: int  # different days practised so far this week
    this_week_met: bool
    days_left_this_week: int  # including today


def weekly_streak(
    practised: Iterable[date], today: date, target: int = DEFAULT_WEEKLY_TARGET
) -> WeeklyStreak:
    if not 1 <= target <= 7:
        raise ValueError("the weekly target is between 1 and 7 days")
    days = {day for day in practised if day <= today}
    per_week = Counter(week_start(day) for day in days)
    current = week_start(today)
    this_week = per_week.get(current, 0)
    met = this_week >= target
    weeks = 1 if met else 0
    week = current - timedelta(days=7)
    while per_week.get(week, 0) >= target:
        weeks += 1
        week -= timedelta(days=7)
    return WeeklyStreak(
        weeks=weeks,
        target=target,
        days_this_week=this_week,
        this_week_met=met,
        days_left_this_week=7 - today.weekday(),
    )


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int
    in_range: bool  # False for padding days before the first or after the last day

    @property
    def level(self) -> int:
        """0 none, 1 one session, 2 two, 3 three or more: the heat-map's shade."""
        return min(self.sessions, 3)


def calendar_weeks(
    session_days: Iterable[date], first: date, last: date
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of days from ``first`` to ``last``, each with its session count."""
    if last < first:
        raise ValueError("the calendar's last day is before its first")
    counts = Counter(session_days)
    weeks: list[list[CalendarDay]] = []
    day = week_start(first)
    while day <= last:
        week = []
        for _ in range(7):
            week.append(CalendarDay(day, counts.get(day, 0), first <= day <= last))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


# --- adherence: planned sessions done -----------------------------------------------------------


def planned_days(
    schedule: Iterable[tuple[date, Collection[int]]], first: date, last: date
) -> list[date]:
    """The days in [first, last] on which the plan in force had a session planned.

    ``schedule`` holds each plan as (the day it took effect, its weekdays, Monday 0), in the
    order the plans were made. On any day the plan that took effect last, on or before that
    day, is in force (of two taking effect the same day, the one made later); before the first
    plan nothing is planned.
    """
    plans = sorted(schedule, key=lambda plan: plan[0])  # stable: same-day plans keep their order
    planned = []
    day = first
    while day <= last:
        in_force = [weekdays for start, weekdays in plans if start <= day]
        if in_force and day.weekday() in in_force[-1]:
            planned.append(day)
        day += timedelta(days=1)
    return planned


def counted_until(session_days: Iterable[date], today: date) -> date:
    """The last day adherence counts: today once it has a session, else yesterday, so the
    morning never looks like a miss."""
    return today if today in set(session_days) else today - timedelta(days=1)


def adherence(
    session_days: Iterable[date], planned: Iterable[date], times_per_day: int = 1
) -> float | None:
    """Share of the prescribed sessions done on the ``planned`` days, 0..1.

    ``session_days`` has a date per session. Each planned day asks for ``times_per_day``
    sessions; extra sessions on a day do not make up for another day. None when nothing was
    planned.
    """
    if times_per_day < 1:
        raise ValueError("the times a day are at least 1")
    counts = Counter(session_days)
    asked = done = 0
    for day in set(planned):
        asked += times_per_day
        done += min(counts.get(day, 0), times_per_day)
    return done / asked if asked else None


def recent_adherence(
    session_days: Iterable[date],
    today: date,
    window_days: int,
    weekdays: Iterable[int] = range(7),
    times_per_day: int = 1,
    started: date | None = None,
) -> float | None:
    """Adherence over the last ``window_days`` days counted (see ``counted_until``) to one
    plan of ``weekdays``; days before ``started`` are not counted."""
    if window_days < 1:
        raise ValueError("the window is at least 1 day")
    days = list(session_days)
    last = counted_until(days, today)
    first = last - timedelta(days=window_days - 1)
    if started is not None:
        first = max(first, started)
    planned = planned_days([(first, frozenset(weekdays))], first, last)
    return adherence(days, planned, times_per_day)
