"""The pain chart on the history page: a small SVG drawn on the server, readable on a phone.

Two lines over the session days: pain before a session (amber, dashed, square points) and
after it (teal, solid, round points), on a fixed 0–10 scale. The drawing is 400 units wide and
labels are 16 units high, so on a 390 px phone (about 350 px of chart) labels stay above 14 px.
Colours, dash and point shape all differ, so the lines can be told apart without colour.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import mean

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 400, 250
LEFT, RIGHT, TOP, BOTTOM = 38, 14, 14, 40  # room for the axis labels
FONT = 16
BEFORE_COLOUR = "#a3480a"  # 5.6:1 on white
AFTER_COLOUR = "#0e5c5a"  # 7.6:1 on white
GRID_COLOUR = "#d9dedb"
TEXT_COLOUR = "#1b2629"


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


def _short_date(day: date) -> str:
    return formats.date_format(day, "j M")


def _series(
    points: list[tuple[float, float]], colour: str, *, dashed: bool, square: bool, size: float
) -> list[str]:
    if not points:
        return []
    parts = []
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = ' stroke-dasharray="7 5"' if dashed else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3" '
            f'stroke-linejoin="round" stroke-linecap="round"{dash}/>'
        )
    for x, y in points:
        if square:
            half = size
            parts.append(
                f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half:.1f}" '
                f'height="{2 * half:.1f}" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size + 0.8:.1f}" fill="#fff" '
                f'stroke="{colour}" stroke-width="3"/>'
            )
    return parts


def pain_chart_svg(days: list[PainDay], first: date, last: date, summary: str) -> SafeString:
    """The chart for ``days`` between ``first`` and ``last`` (inclusive)."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return LEFT + plot_width / 2
        return LEFT + plot_width * (day - first).days / span

    def y_of(pain: float) -> float:
        return TOP + plot_height * (1 - pain / 10)

    spacing = plot_width / max(len(days), 1)
    size = max(2.5, min(5.0, spacing * 0.35))
    parts = [
        f'<svg class="pain-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="pain-chart-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{TEXT_COLOUR}">',
        f'<title id="pain-chart-title">{escape(summary)}</title>',
    ]
    for pain in range(0, 11, 2):
        y = y_of(pain)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="{2 if pain == 0 else 1}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + FONT * 0.35:.1f}" text-anchor="end" '
            f'font-weight="600">{pain}</text>'
        )
    labels = [(first, "start"), (last, "end")]
    if span >= 14:
        middle = first + (last - first) / 2
        labels.insert(1, (middle, "middle"))
    for day, anchor in labels:
        x = LEFT if anchor == "start" else (WIDTH - RIGHT if anchor == "end" else x_of(day))
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
            f"{escape(_short_date(day))}</text>"
        )
    before = [(x_of(d.day), y_of(d.before)) for d in days if d.before is not None]
    after = [(x_of(d.day), y_of(d.after)) for d in days if d.after is not None]
    parts += _series(before, BEFORE_COLOUR, dashed=True, square=True, size=size)
    parts += _series(after, AFTER_COLOUR, dashed=False, square=False, size=size)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # numbers and escaped text only
