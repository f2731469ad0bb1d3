"""Small SVG charts drawn on the server: the frame, scales, axes and lines that the pain chart
(practice), the weekly check-in chart (check-ins) and the dashboard's sparkline (clinic) share.

Pure (no Django): callers pass text already translated and formatted, and mark the SVG safe.
Every value is on a fixed 0–10 scale (pain and check-in scores alike), so a flat line at 8
reads as high, not as "no change". Numbers are written with one decimal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

Point = tuple[float, float]

TOP_VALUE = 10  # the fixed scale's top: 0–10
GRID_COLOUR = "#d9dedb"
TEXT_COLOUR = "#1b2629"


@dataclass(frozen=True)
class Frame:
    """A drawing ``width`` × ``height`` units, with margins around its plot area."""

    width: float
    height: float
    left: float = 0
    right: float = 0
    top: float = 0
    bottom: float = 0

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def x_at(self, offset: float, span: float) -> float:
        """x of ``offset`` (days, say) from the start of a window ``span`` long; a window of no
        length puts everything in the middle."""
        if span <= 0:
            return self.left + self.plot_width / 2
        return self.left + self.plot_width * offset / span

    def x_of_day(self, day: date, first: date, last: date) -> float:
        return self.x_at((day - first).days, (last - first).days)

    def y_of(self, value: float) -> float:
        """y of a value on the 0–10 scale: 10 at the top of the plot area, 0 at its bottom."""
        return self.top + self.plot_height * (1 - value / TOP_VALUE)


# The charts on the History page, the clinician's patient page and the printed report: 400
# units wide with 16-unit labels, so on a 390 px phone (about 350 px of chart) labels stay
# above 14 px.
CHART = Frame(400, 250, left=38, right=14, top=14, bottom=40)
FONT = 16


def path_points(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def titled_svg(frame: Frame, css_class: str, chart_id: str, title: str) -> str:
    """The opening of a chart whose title (its summary sentence) is its accessible name."""
    return (
        f'<svg class="{css_class}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    )


def value_axis(frame: Frame, step: int = 2) -> str:
    """A grid line and its number at every ``step`` of the 0–10 scale, the 0 line heavier."""
    parts = []
    for value in range(0, TOP_VALUE + 1, step):
        y = frame.y_of(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID_COLOUR}" stroke-width="{2 if value == 0 else 1}"/>'
            f'<text x="{frame.left - 8}" y="{y + FONT * 0.35:.1f}" text-anchor="end" '
            f'font-weight="600">{value}</text>'
        )
    return "".join(parts)


def day_axis(
    frame: Frame, first: date, last: date, words: Callable[[date], str], *, middle: bool = False
) -> str:
    """The first and last day under the plot (and the middle one, when asked)."""
    labels = [(first, "start", float(frame.left))]
    if middle:
        day = first + (last - first) / 2
        labels.append((day, "middle", frame.x_of_day(day, first, last)))
    labels.append((last, "end", float(frame.width - frame.right)))
    return "".join(
        f'<text x="{x:.1f}" y="{frame.height - 12}" text-anchor="{anchor}">'
        f"{escape(words(day))}</text>"
        for day, anchor, x in labels
    )


def line(points: Sequence[Point], colour: str, width: float = 3, *, dashed: bool = False) -> str:
    """A round-jointed line through the points; nothing for fewer than two."""
    if len(points) < 2:
        return ""
    dash = ' stroke-dasharray="7 5"' if dashed else ""
    return (
        f'<polyline points="{path_points(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round"{dash}/>'
    )


def dot(point: Point, radius: float, fill: str, stroke: str = "", stroke_width: float = 0) -> str:
    x, y = point
    ring = f' stroke="{stroke}" stroke-width="{stroke_width}"' if stroke else ""
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}"{ring}/>'


def square(point: Point, half: float, fill: str) -> str:
    x, y = point
    return (
        f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half:.1f}" '
        f'height="{2 * half:.1f}" fill="{fill}"/>'
    )
