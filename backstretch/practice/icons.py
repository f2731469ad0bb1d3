"""Home-screen icons, drawn from our own logo (static/img/logo.svg).

Nothing here is committed as an image: each PNG is rendered from the SVG by cairosvg the first
time it is asked for and kept in memory by the process. Plain module: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOGO = Path(__file__).resolve().parent.parent / "static" / "img" / "logo.svg"
TEAL = "#0e5c5a"  # the logo's tile, and the manifest's theme colour


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    kind: str  # "icon": the logo as drawn; "full": the logo on a full tile
    scale: float = 1.0  # the logo's share of the tile, for "full"


# A maskable icon's visible part may be as small as the circle of 80 % of its width: at 0.7 the
# logo's farthest corner stays inside it. iOS draws its own rounded corners on a full tile.
PICTURES = {
    "icon-192.png": Picture(192, 192, "icon"),
    "icon-512.png": Picture(512, 512, "icon"),
    "icon-maskable-512.png": Picture(512, 512, "full", 0.7),
    "apple-touch-icon.png": Picture(180, 180, "full", 0.8),
}


def _logo_inside() -> str:
    """The logo's drawing without its <svg> wrapper and title (a 48 × 48 box)."""
    source = LOGO.read_text(encoding="utf-8")
    inner = re.search(r"<svg[^>]*>(.*)</svg>", source, re.S)
    assert inner, "static/img/logo.svg must be one <svg> element"
    return re.sub(r"<title>.*?</title>", "", inner.group(1), flags=re.S)


def picture_svg(picture: Picture) -> str:
    logo = _logo_inside()
    if picture.kind == "icon":
        body = logo
    else:
        margin = 24 * (1 - picture.scale)
        body = (
            f'<rect width="48" height="48" fill="{TEAL}"/>'
            f'<g transform="translate({margin:.3f} {margin:.3f}) scale({picture.scale})">'
            f"{logo}</g>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" '
        f'width="{picture.width}" height="{picture.height}">{body}</svg>'
    )


@cache
def picture_png(name: str) -> bytes:
    """The PNG named ``name`` (a key of PICTURES) at its exact pixel size."""
    picture = PICTURES[name]
    # Imported here: cairo and its helpers cost each server process ~15 MB, and only the few
    # requests for an icon (each rendered once per process) need them.
    import cairosvg  # type: ignore[import-untyped]  # no type hints shipped

    png = cairosvg.svg2png(
        bytestring=picture_svg(picture).encode(),
        output_width=picture.width,
        output_height=picture.height,
    )
    assert isinstance(png, bytes)
    return png
