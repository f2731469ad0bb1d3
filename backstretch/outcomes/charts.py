"""The weekly check-in (PEG) chart, drawn on the server like the pain chart (practice/charts.py).

One line of PEG scores (0–10, lower is better) over the check-in dates, with round points so a
single check-in still shows. Same size and type scale as the pain chart, so both read alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backstretch import charts
from backstretch.charts import CHART
from backstretch.practice.charts import short_date

from . import services

CHART_WEEKS = 12
PEG_COLOUR = "#3b4a9a"  # indigo, 8:1 on white; differs from the pain chart's amber and teal


def _score(value: float) -> str:
    return formats.number_format(value, decimal_pos=1)


def peg_summary(points: list[tuple[date, float]]) -> str:
    """One sentence with the first and the latest score, for screen readers and everyone."""
    if not points:
        return ""
    last_day, last = points[-1]
    if len(points) == 1:
        return _("Weekly check-in score %(score)s on %(day)s (0 to 10, lower is better).") % {
            "score": _score(last),
            "day": short_date(last_day),
        }
    first_day, first = points[0]
    return _(
        "Weekly check-in score %(first)s on %(first_day)s, latest %(last)s on %(last_day)s "
        "(0 to 10, lower is better)."
    ) % {
        "first": _score(first),
        "first_day": short_date(first_day),
        "last": _score(last),
        "last_day": short_date(last_day),
    }


def peg_chart_svg(
    points: list[tuple[date, float]], first: date, last: date, summary: str, chart_id: str = "peg"
) -> SafeString:
    xy = [(CHART.x_of_day(day, first, last), CHART.y_of(score)) for day, score in points]
    svg = (
        charts.titled_svg(CHART, "pain-chart__svg", chart_id, summary)
        + charts.value_axis(CHART)
        + charts.day_axis(CHART, first, last, short_date)
        + charts.line(xy, PEG_COLOUR)
        + "".join(charts.dot(point, 5.5, PEG_COLOUR, "#fff", 2) for point in xy)
        + "</svg>"
    )
    return mark_safe(svg)  # numbers and escaped text only


def peg_chart_context(patient: Any, today: date, chart_id: str) -> dict[str, Any]:
    """The chart of the last 12 weeks' answered check-ins, for _peg_chart.html."""
    points = services.peg_points(patient, today - timedelta(weeks=CHART_WEEKS, days=-1))
    summary = peg_summary(points)
    chart = peg_chart_svg(points, points[0][0], today, summary, chart_id) if points else ""
    return {"peg_chart": chart, "peg_summary": summary}
