"""The patient's Today and History pages. Dates are the patient's own local dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.accounts.decorators import practice_allowed
from backstretch.accounts.models import User
from backstretch.checkins import services as checkins
from backstretch.checkins.charts import peg_chart_context
from backstretch.checkins.forms import PegForm
from backstretch.library.models import Exercise
from backstretch.library.schema import Dosage, Position, Sides
from backstretch.library.vocabulary import POSITION_HEADINGS, dosage_short, sided_limb
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import RoutineItem, compile_timeline

from . import charts, stats
from .badday import BedOption, bad_day_items
from .models import PracticeSession
from .tips import Moment, tip_for

CALENDAR_WEEKS = 12
RECENT_SESSIONS = 8
JUST_FINISHED = timedelta(hours=1)  # a session ended this recently gets an after-session tip
BAD_DAY_PARAMETER = "bad-day"  # /today/play/?version=bad-day plays the short version


def bad_day_routine(items: list[RoutineItem]) -> list[RoutineItem]:
    """The patient's own routine cut to its 2–3 minute bad-day version (see badday.py)."""
    beds = {}
    for exercise in Exercise.objects.filter(slug__in=[i.exercise for i in items]):
        spec = exercise.spec
        if Position.BED in spec.positions:
            dosage = spec.dosage_for(Position.BED)
            beds[exercise.slug] = BedOption(
                cue=spec.positions[Position.BED].cue,
                hold_seconds=dosage.hold_seconds,
                sides=dosage.sides.value,
                rest_seconds=dosage.rest_seconds,
            )
    return bad_day_items(items, beds)


def _patient(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # @practice_allowed let only logged-in patients through
    return user


@dataclass(frozen=True)
class RoutineLine:
    item: RoutineItem
    exercise: Exercise
    position_label: str
    dosage: str


def _routine_lines(items: list[RoutineItem]) -> list[RoutineLine]:
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=[i.exercise for i in items])}
    lines = []
    for item in items:
        exercise = exercises[item.exercise]
        dosage = Dosage(
            hold_seconds=item.hold_seconds,
            repetitions=item.repetitions,
            sides=Sides(item.sides),
            rest_seconds=item.rest_seconds,
        )
        limb = sided_limb(list(exercise.spec.positions.values()))
        label = str(POSITION_HEADINGS.get(item.position, item.position))
        lines.append(RoutineLine(item, exercise, label, dosage_short(dosage, limb)))
    return lines


def about_minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}


def streak_words(streak: stats.WeeklyStreak) -> str:
    """ "3 of 5 days this week · 4 weeks in a row" (the second part once there is a streak)."""
    if streak.days_this_week == 0 and streak.weeks == 0:
        return _("Aim for %(target)d days this week") % {"target": streak.target}
    days = _("%(done)d of %(target)d days this week") % {
        "done": min(streak.days_this_week, 7),
        "target": streak.target,
    }
    if streak.weeks == 0:
        return days
    weeks = ngettext("%(n)d week in a row", "%(n)d weeks in a row", streak.weeks) % {
        "n": streak.weeks
    }
    return f"{days} · {weeks}"


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


def _checkin_context(user: User, day: date) -> dict[str, object]:
    latest = user.peg_checkins.first()
    return {
        "peg_form": PegForm() if checkins.peg_is_due(user, day) else None,
        "peg_saved": latest if latest and latest.local_date == day and not latest.skipped else None,
        "start_back_asked": checkins.open_start_back(user),
    }


@practice_allowed
def today(request: HttpRequest) -> HttpResponse:
    user = _patient(request)
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
        **_checkin_context(user, day),
    }
    routine = active_routine(user)
    if routine is not None:
        version = routine.current
        items = version.routine_items()
        timeline = compile_timeline(items, translate=_)
        short = compile_timeline(bad_day_routine(items), translate=_)
        moment = _tip_moment(user, day, practised, list(version.days))
        context.update(
            routine=routine,
            lines=_routine_lines(items),
            duration=about_minutes(timeline.total_seconds),
            bad_day_duration=about_minutes(short.total_seconds),
            bad_day_parameter=BAD_DAY_PARAMETER,
            rest_day=day.weekday() not in version.days,
            tip=tip_for(moment, day),
            tip_moment=moment.value,
        )
    return render(request, "practice/today.html", context)


@dataclass(frozen=True)
class CalendarCell:
    day: stats.CalendarDay
    label: str
    is_today: bool


def _calendar(days: list[date], today: date) -> list[tuple[str, list[CalendarCell]]]:
    first = stats.week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    weeks = []
    for week in stats.calendar_weeks(days, first, today):
        cells = []
        for cal_day in week:
            when = formats.date_format(cal_day.day, "l j F")
            if not cal_day.in_range:
                label = when
            elif cal_day.sessions:
                label = ngettext(
                    "%(day)s: practised", "%(day)s: practised %(n)d times", cal_day.sessions
                ) % {"day": when, "n": cal_day.sessions}
            else:
                label = _("%(day)s: no session") % {"day": when}
            cells.append(CalendarCell(cal_day, label, cal_day.day == today))
        weeks.append((formats.date_format(week[0].day, "j M"), cells))
    return weeks


@practice_allowed
def history(request: HttpRequest) -> HttpResponse:
    user = _patient(request)
    day = user.today()
    first = stats.week_start(day) - timedelta(weeks=CALENDAR_WEEKS - 1)
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
        "weekdays": [
            (formats.date_format(d, "D"), formats.date_format(d, "l"))
            for d in (first + timedelta(days=i) for i in range(7))
        ],
        "calendar": _calendar([row[0] for row in window], day),
        "streak": streak,
        "streak_text": streak_words(streak),
        "pain_summary": summary,
        "pain_chart": charts.pain_chart_svg(pain, pain[0].day, day, summary) if pain else "",
        "recent": list(sessions.order_by("-started_at")[:RECENT_SESSIONS]),
        **peg_chart_context(user, day, "history-peg"),
        "has_sessions": sessions.exists(),
    }
    return render(request, "practice/history.html", context)
