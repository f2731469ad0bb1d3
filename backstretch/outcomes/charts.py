"""The weekly check-in (PEG) chart, drawn on the server like the pain chart (practice/charts.py).

One line of PEG scores (0–10, lower is better) over the check-in dates, with round points so a
single check-in still shows. Same size and type scale as the pain chart, so both read alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backstretch.practice.charts import BOTTOM, FONT, GRID_COLOUR, HEIGHT, LEFT, RIGHT, TOP, WIDTH
from backstretch.practice.charts import TEXT_COLOUR as TEXT

from . import services

CHART_WEEKS = 12
PEG_COLOUR = "#3b4a9a"  # indigo, 8:1 on white; differs from the pain chart's amber and teal


def _score(value: float) -> str:
    return formats.number_format(value, decimal_pos=1)


def _short_date(day: date) -> str:
    return formats.date_format(day, "j M")


def peg_summary(points: list[tuple[date, float]]) -> str:
    """One sentence with the first and the latest score, for screen readers and everyone."""
    if not points:
        return ""
    last_day, last = points[-1]
    if len(points) == 1:
        return _("Weekly check-in score %(score)s on %(day)s (0 to 10, lower is better).") % {
            "score": _score(last),
            "day": _short_date(last_day),
        }
    first_day, first = points[0]
    return _(
        "Weekly check-in score %(first)s on %(first_day)s, latest %(last)s on %(last_day)s "
        "(0 to 10, lower is better)."
    ) % {
        "first": _score(first),
        "first_day": _short_date(first_day),
        "last": _score(last),
        "last_day": _short_date(last_day),
    }


def peg_chart_svg(
    points: list[tuple[date, float]], first: date, last: date, summary: str, chart_id: str = "peg"
) -> SafeString:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return LEFT + plot_width / 2
        return LEFT + plot_width * (day - first).days / span

    def y_of(score: float) -> float:
        return TOP + plot_height * (1 - score / 10)

    parts = [
        f'<svg class="pain-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(summary)}</title>',
    ]
    for value in range(0, 11, 2):
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="{2 if value == 0 else 1}"/>'
            f'<text x="{LEFT - 8}" y="{y + FONT * 0.35:.1f}" text-anchor="end" '
            f'font-weight="600">{value}</text>'
        )
    for day, anchor in ((first, "start"), (last, "end")):
        label_x = LEFT if anchor == "start" else WIDTH - RIGHT
        parts.append(
            f'<text x="{label_x}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
            f"{escape(_short_date(day))}</text>"
        )
    xy = [(x_of(day), y_of(score)) for day, score in points]
    if len(xy) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{PEG_COLOUR}" stroke-width="3" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for x, y in xy:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{PEG_COLOUR}" stroke="#fff" '
            f'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # numbers and escaped text only


def peg_chart_context(patient: Any, today: date, chart_id: str) -> dict[str, Any]:
    """The chart of the last 12 weeks' answered check-ins, for _peg_chart.html."""
    points = services.peg_points(patient, today - timedelta(weeks=CHART_WEEKS, days=-1))
    summary = peg_summary(points)
    chart = peg_chart_svg(points, points[0][0], today, summary, chart_id) if points else ""
    return {"peg_chart": chart, "peg_summary": summary}
