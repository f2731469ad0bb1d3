"""Screenshot pages of a running Backstretch at phone and desktop size.

Starts nothing itself: run the app first, then for example

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8123 \\
        /library/ /library/?position=bed

Images go to artifacts/screens/ (git-ignored), one per path and viewport, full page.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FloatRect, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
DEFAULT_PATHS = ["/library/", "/library/?position=bed", "/library/hamstring-stretch/"]
OUT_DIR = Path(__file__).resolve().parent.parent / "artifacts" / "screens"


def file_stem(path: str) -> str:
    stem = re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-")
    return stem or "root"


def save_slices(page: Page, target: Path, width: int, height: int) -> None:
    """Screen-sized pieces of a long page, easier to read at full resolution."""
    total = page.evaluate("document.documentElement.scrollHeight")
    for index, top in enumerate(range(0, total, height), start=1):
        clip: FloatRect = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        piece = target.with_name(f"{target.stem}-part{index}.png")
        page.screenshot(path=str(piece), full_page=True, clip=clip)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--viewport-only", action="store_true", help="not the full page")
    parser.add_argument(
        "--slices", action="store_true", help="also cut long pages into screen-sized images"
    )
    args = parser.parse_args(argv)

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base_url.rstrip("/")
    failures = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, (width, height) in VIEWPORTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for path in args.paths:
                    try:
                        response = page.goto(base + path, wait_until="networkidle")
                    except PlaywrightError as error:
                        print(f"failed {path}: {error.message.splitlines()[0]}", file=sys.stderr)
                        failures += 1
                        continue
                    status = response.status if response else "?"
                    target = args.out / f"{file_stem(path)}-{label}.png"
                    page.screenshot(path=str(target), full_page=not args.viewport_only)
                    print(f"{status} {path} -> {target}")
                    if args.slices:
                        save_slices(page, target, width, height)
                page.close()
        finally:
            browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
