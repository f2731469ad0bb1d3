#!/usr/bin/env python
"""Write a contact sheet of every exercise figure and screenshot it with Debian's Chromium.

    .venv/bin/python scripts/figure-sheet.py [--only SLUG ...] [--out artifacts]

Writes ``figures.html`` (each exercise x position: start, end, animated and a 120 px
thumbnail), ``figures.png`` (the whole sheet) and one PNG per row under ``figures/``.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if not settings.configured:
    settings.configure(USE_I18N=False)
    django.setup()

from backstretch.library import figures, schema  # noqa: E402

PAGE_HEIGHT = 1250  # the sheet is also cut into pages this tall, easier to look at

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; background: #fff; }
.row { display: flex; gap: 12px; align-items: flex-end; padding: 10px 0;
       border-bottom: 1px solid #ddd; }
.row h2 { font-size: 14px; width: 170px; margin: 0; align-self: center; }
.cell { text-align: center; font-size: 11px; color: #666; }
.cell svg { display: block; width: 280px; height: 200px; }
.cell.small svg { width: 120px; height: 90px; }
.bs-still { display: none; }
"""


def build(only: list[str]) -> tuple[str, list[str]]:
    library = schema.load_library()
    rows: list[str] = []
    ids: list[str] = []
    for slug, exercise in sorted(library.items()):
        if only and slug not in only:
            continue
        for position in exercise.positions:
            row_id = f"{slug}-{position.value}"
            cells = [
                f'<div class="cell">{figures.render_figure(exercise, position, frame=frame)}'
                f"{frame}</div>"
                for frame in ("start", "end", "animated")
            ]
            small = figures.render_figure(exercise, position, frame="end")
            cells.append(f'<div class="cell small">{small}120 px</div>')
            pose = exercise.positions[position].pose
            heading = f"{escape(exercise.name)}<br>{position.value} · {pose.surface.value}"
            heading += f" · {pose.view.value}"
            rows.append(f'<div class="row" id="{row_id}"><h2>{heading}</h2>{"".join(cells)}</div>')
            ids.append(row_id)
    html = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Backstretch figures</title>'
        f"<style>{STYLE}</style><body>{''.join(rows)}</body></html>"
    )
    return html, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=[], help="exercise slugs to draw")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts")
    parser.add_argument("--no-screenshot", action="store_true")
    args = parser.parse_args()
    out: Path = args.out
    (out / "figures").mkdir(parents=True, exist_ok=True)
    html, ids = build(args.only)
    page = out / "figures.html"
    page.write_text(html, encoding="utf-8")
    print(f"wrote {page}")
    if args.no_screenshot:
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.goto(page.resolve().as_uri())
        tab.wait_for_timeout(1200)  # the animated column mid-movement
        tab.screenshot(path=str(out / "figures.png"), full_page=True)
        height = tab.evaluate("document.documentElement.scrollHeight")
        for page_number, top in enumerate(range(0, height, PAGE_HEIGHT), start=1):
            clip = {"x": 0, "y": top, "width": 1200, "height": min(PAGE_HEIGHT, height - top)}
            path = out / "figures" / f"page-{page_number}.png"
            tab.screenshot(path=str(path), full_page=True, clip=clip)
        for row_id in ids:
            tab.locator(f"#{row_id}").screenshot(path=str(out / "figures" / f"{row_id}.png"))
        browser.close()
    print(f"wrote {out / 'figures.png'} and {len(ids)} rows under {out / 'figures'}")


if __name__ == "__main__":
    main()
