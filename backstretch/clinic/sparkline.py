"""Small SVG drawings for the dashboard: the pain sparkline and the reason icons. Pure.

The sparkline: a tiny pain line, pain after each session over the last weeks.
The line is drawn on the fixed 0–10 pain scale (so a flat line at 8 reads as high, not as
"no change"), with the last point marked. The caller supplies the summary sentence that
screen readers get as the image's label; the drawing itself adds nothing a label lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 120, 32, 3
LINE = "#0e5c5a"
BASELINE = "#d9dedb"


def sparkline_svg(points: Sequence[tuple[int, float]], span_days: int, label: str) -> str:
    """``points`` are (day number from the window's start, pain 0–10), in any order."""
    if span_days < 1:
        raise ValueError("the window has at least one day")
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    last_day = span_days - 1
    per_day, per_point = inner_w / max(last_day, 1), inner_h / 10
    # Clamped to the window and the 0–10 scale; pain 10 at the top.
    coords = [
        (
            PAD + per_day * min(max(day, 0), last_day),
            PAD + inner_h - per_point * min(max(pain, 0), 10),
        )
        for day, pain in sorted(points)
    ]
    parts = [
        f'<svg class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="{BASELINE}" stroke-width="1"/>',
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    if coords:
        x, y = coords[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


# Reason icons, drawn with one stroke style on a 20-unit square.
ICON_SHAPES = {
    "red_flag": '<path d="M5 18V3m0 1h10l-2.5 4L15 12H5"/>',
    "hurt": (
        '<path d="M10 2.5 18.5 17h-17Z"/><path d="M10 8v4.5"/>'
        '<circle cx="10" cy="14.6" r="1.2" fill="currentColor" stroke="none"/>'
    ),
    "pain_rose": '<path d="M3 16l5-5 3 3 6-7m0 0h-4.5M17 7v4.5"/>',
    "pain_trend": '<path d="M3 16l5-5 3 3 6-7m0 0h-4.5M17 7v4.5"/>',
    "silent": '<circle cx="10" cy="10" r="7.5"/><path d="M10 5.5V10l3 2"/>',
    "review_due": (
        '<rect x="2.5" y="4" width="15" height="13" rx="2"/><path d="M2.5 8h15M6.5 2v4m7-4v4"/>'
    ),
    "ok": '<path d="M4 10.5l4 4 8-9"/>',
}


def icon_svg(kind: str) -> str:
    return (
        '<svg class="reason__icon" viewBox="0 0 20 20" width="20" height="20" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        f'aria-hidden="true" focusable="false">{ICON_SHAPES[kind]}</svg>'
    )
