"""The pain chart on the history page: a small SVG drawn on the server, readable on a phone.

Two lines over the session days: pain before a session (amber, dashed, square points) and
after it (teal, solid, round points), on a fixed 0–10 scale, drawn with the shared
``backstretch/charts.py`` (400 units wide, labels large enough for a phone). Colours, dash
and point shape all differ, so the lines can be told apart without colour.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import mean

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch import charts
from backstretch.charts import CHART, Point

BEFORE_COLOUR = "#a3480a"  # 5.6:1 on white
AFTER_COLOUR = "#0e5c5a"  # 7.6:1 on white


@dataclass(frozen=True)
class PainDay:
    day: date
    before: float | None
    after: float | None


def pain_days(sessions: Iterable[tuple[date, int | None, int | None]]) -> list[PainDay]:
    """One point per day with a score: the day's average before and after (several sessions)."""
    before: dict[date, list[int]] = defaultdict(list)
    after: dict[date, list[int]] = defaultdict(list)
    for day, pain_before, pain_after in sessions:
        if pain_before is not None:
            before[day].append(pain_before)
        if pain_after is not None:
            after[day].append(pain_after)
    days = sorted(set(before) | set(after))
    return [
        PainDay(
            day,
            mean(before[day]) if before[day] else None,
            mean(after[day]) if after[day] else None,
        )
        for day in days
    ]


def _average(values: list[float]) -> str:
    return formats.number_format(round(mean(values), 1), decimal_pos=1)


def pain_summary(days: list[PainDay], today: date) -> str:
    """One sentence a screen reader (and everyone else) can take in without the chart."""
    if not days:
        return ""
    weeks = max(1, math.ceil(((today - days[0].day).days + 1) / 7))
    period = ngettext("over the last week", "over the last %(n)d weeks", weeks) % {"n": weeks}
    befores = [d.before for d in days if d.before is not None]
    afters = [d.after for d in days if d.after is not None]
    if befores and afters:
        return _("Average pain before %(before)s, after %(after)s %(period)s (0 to 10).") % {
            "before": _average(befores),
            "after": _average(afters),
            "period": period,
        }
    if befores:
        return _("Average pain before a session %(before)s %(period)s (0 to 10).") % {
            "before": _average(befores),
            "period": period,
        }
    return _("Average pain after a session %(after)s %(period)s (0 to 10).") % {
        "after": _average(afters),
        "period": period,
    }


def short_date(day: date) -> str:
    return formats.date_format(day, "j M")


def _series(points: list[Point], colour: str, *, dashed: bool, square: bool, size: float) -> str:
    marks = (
        charts.square(point, size, colour)
        if square
        else charts.dot(point, size + 0.8, "#fff", colour, 3)
        for point in points
    )
    return charts.line(points, colour, dashed=dashed) + "".join(marks)


def pain_chart_svg(days: list[PainDay], first: date, last: date, summary: str) -> SafeString:
    """The chart for ``days`` between ``first`` and ``last`` (inclusive)."""
    frame = CHART
    spacing = frame.plot_width / max(len(days), 1)
    size = max(2.5, min(5.0, spacing * 0.35))
    before = [
        (frame.x_of_day(d.day, first, last), frame.y_of(d.before))
        for d in days
        if d.before is not None
    ]
    after = [
        (frame.x_of_day(d.day, first, last), frame.y_of(d.after))
        for d in days
        if d.after is not None
    ]
    svg = (
        charts.titled_svg(frame, "pain-chart__svg", "pain-chart", summary)
        + charts.value_axis(frame)
        + charts.day_axis(frame, first, last, short_date, middle=(last - first).days >= 14)
        + _series(before, BEFORE_COLOUR, dashed=True, square=True, size=size)
        + _series(after, AFTER_COLOUR, dashed=False, square=False, size=size)
        + "</svg>"
    )
    return mark_safe(svg)  # numbers and escaped text only
