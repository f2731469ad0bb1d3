"""Small SVG drawings for the dashboard: the pain sparkline and the reason icons. Pure.

The sparkline: a tiny pain line, pain after each session over the last weeks.
The line is drawn on the fixed 0–10 pain scale (so a flat line at 8 reads as high, not as
"no change"), with the last point marked. The caller supplies the summary sentence that
screen readers get as the image's label; the drawing itself adds nothing a label lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from backstretch.charts import Frame

WIDTH, HEIGHT, PAD = 120, 32, 3
FRAME = Frame(WIDTH, HEIGHT, left=PAD, right=PAD, top=PAD, bottom=PAD)


def sparkline_svg(points: Sequence[tuple[int, float]], span_days: int, label: str) -> str:
    """``points`` are (day number from the window's start, pain 0–10), in any order.

    Forty of these are on a dashboard page, so each is kept small: whole units (a unit is a
    pixel at the drawn size) and its colours and strokes in clinic.css, not on every element.
    """
    if span_days < 1:
        raise ValueError("the window has at least one day")
    last_day = span_days - 1
    # Clamped to the window and the 0–10 scale; pain 10 at the top.
    coords = [
        (
            round(FRAME.x_at(min(max(day, 0), last_day), last_day)),
            round(FRAME.y_of(min(max(pain, 0), 10))),
        )
        for day, pain in sorted(points)
    ]
    base = HEIGHT - PAD
    parts = [
        f'<svg class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(label)}">'
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{base}" y2="{base}"/>'
    ]
    if len(coords) > 1:
        parts.append(f'<polyline points="{" ".join(f"{x},{y}" for x, y in coords)}"/>')
    if coords:
        parts.append(f'<circle cx="{coords[-1][0]}" cy="{coords[-1][1]}" r="2.6"/>')
    return "".join(parts) + "</svg>"


# Reason icons, drawn with one stroke style on a 20-unit square.
ICON_SHAPES = {
    "red_flag": '<path d="M5 18V3m0 1h10l-2.5 4L15 12H5"/>',
    "hurt": (
        '<path d="M10 2.5 18.5 17h-17Z"/><path d="M10 8v4.5"/>'
        '<circle cx="10" cy="14.6" r="1.2" fill="currentColor" stroke="none"/>'
    ),
    "recheck": '<path d="M5 18V3m0 1h10l-2.5 4L15 12H5"/>',
    "pain_jump": '<path d="M2.5 15h4l2-9 3 11 2-6h4"/>',
    "peg_worse": '<path d="M3 16l5-5 3 3 6-7m0 0h-4.5M17 7v4.5"/>',
    "pain_rose": '<path d="M3 16l5-5 3 3 6-7m0 0h-4.5M17 7v4.5"/>',
    "pain_trend": '<path d="M3 16l5-5 3 3 6-7m0 0h-4.5M17 7v4.5"/>',
    "silent": '<circle cx="10" cy="10" r="7.5"/><path d="M10 5.5V10l3 2"/>',
    "review_due": (
        '<rect x="2.5" y="4" width="15" height="13" rx="2"/><path d="M2.5 8h15M6.5 2v4m7-4v4"/>'
    ),
    "ok": '<path d="M4 10.5l4 4 8-9"/>',
}


def icon_svg(kind: str) -> str:
    """A reason's icon: a reference to its drawing in the page's ``icon_sprite`` (drawn once
    per page rather than once per row)."""
    return (
        '<svg class="reason__icon" width="20" height="20" aria-hidden="true" focusable="false">'
        f'<use href="#reason-icon-{kind}"/></svg>'
    )


def icon_sprite() -> str:
    """Every reason icon's drawing, once, for the icons of a page to point at."""
    symbols = "".join(
        f'<symbol id="reason-icon-{kind}" viewBox="0 0 20 20" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{shape}</symbol>'
        for kind, shape in ICON_SHAPES.items()
    )
    return f'<svg class="icon-sprite" aria-hidden="true" focusable="false">{symbols}</svg>'
