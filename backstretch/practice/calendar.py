"""The practice calendar as pages show it: twelve weeks of days, each with words for a screen
reader. The patient's History page and the clinician's patient page draw the same calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.dates import long_date

from . import stats

CALENDAR_WEEKS = 12


def calendar_start(today: date) -> date:
    """The Monday the calendar starts on: ``CALENDAR_WEEKS`` weeks ending with this one."""
    return stats.week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)


def weekday_headings() -> list[tuple[str, str]]:
    """(short, full) name of each weekday, Monday first: the calendar's column headings."""
    return [(str(WEEKDAYS_ABBR[day]), str(WEEKDAYS[day])) for day in range(7)]


@dataclass(frozen=True)
class CalendarCell:
    day: stats.CalendarDay
    label: str
    is_today: bool


def calendar_cells(days: list[date], today: date) -> list[tuple[str, list[CalendarCell]]]:
    """(week label, its seven cells) for the weeks up to ``today``; ``days`` has a date per
    session, so a day practised twice appears twice."""
    weeks = []
    for week in stats.calendar_weeks(days, calendar_start(today), today):
        cells = []
        for cal_day in week:
            when = long_date(cal_day.day, "l j F")
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
