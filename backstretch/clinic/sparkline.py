"""A tiny pain line for the dashboard: pain after each session over the last weeks. Pure.

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

    def xy(day: int, pain: float) -> tuple[float, float]:
        x = PAD + inner_w * min(max(day, 0), span_days - 1) / max(span_days - 1, 1)
        y = PAD + inner_h * (1 - min(max(pain, 0), 10) / 10)
        return x, y

    parts = [
        f'<svg class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="{BASELINE}" stroke-width="1"/>',
    ]
    coords = [xy(day, pain) for day, pain in sorted(points)]
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
