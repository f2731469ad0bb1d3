"""What the camera coach costs in the browser (issue 18): frames per second and bytes.

A real `backstretch serve` (the bench patient on the daily-four); headless Chromium with no GPU
(the model runs on the CPU through WebAssembly) and a fake camera playing a person (a video
made from a photograph in Debian's opencv-doc, tests/coach/video.py). On the player page the
camera is turned on through static/player/camera.js; after the first body points arrive, the
frames the model looks at in 10 s are counted. The bytes the camera mode adds (runtime,
WebAssembly and model, as transferred with an empty cache) are counted apart from the page's,
which must not grow: the camera's files load only when the mode is chosen. Targets: ≥ 15
frames per second with the lite model; the player page itself ≤ 100 KB (player-weight).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.player_timing import chromium_page, player_site
from bench.player_weight import transfers
from tests.coach.video import PHOTO, WATCH, camera_args, video_of

TARGET_FPS = 15
SECONDS = 10


def measure(base: str, session_key: str, video: Path) -> dict[str, Any]:
    with chromium_page(base, session_key, args=tuple(camera_args(video))) as page:
        urls, sizes = transfers(page)
        page.goto(f"{base}/today/play/", wait_until="networkidle")
        before = set(sizes)
        page.evaluate(WATCH)
        page.wait_for_function("() => window.__frames.some((f) => f.pose)", timeout=120_000)
        start = page.evaluate("() => [performance.now(), window.__frames.length]")
        page.wait_for_timeout(SECONDS * 1000)  # a benchmark's fixed window, not a test's wait
        end = page.evaluate("() => [performance.now(), window.__frames.length]")
        seen = page.evaluate("() => window.__frames.filter((f) => f.pose).length")
        page.evaluate("() => window.__camera.stop()")
        added = {urls[r]: int(s) for r, s in sizes.items() if r not in before and r in urls}
        own = urlsplit(base).netloc
        others = [u for u in urls.values() if urlsplit(u).netloc not in (own, "")]
        return {
            "fps": (end[1] - start[1]) / ((end[0] - start[0]) / 1000),
            "frames": len(page.evaluate("() => window.__frames")),
            "frames_with_pose": seen,
            "camera_bytes": sum(added.values()),
            "camera_files": added,
            "other_hosts": len(others),
        }


def run(quick: bool = False) -> dict[str, Any]:
    runs = []
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-camera-") as scratch:
        video = video_of(PHOTO, Path(scratch) / "person.y4m")
        with player_site(items=[]) as (base, session_key):
            for _ in range(1 if quick else 3):
                runs.append(measure(base, session_key, video))
    for url, size in sorted(runs[0]["camera_files"].items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:8.1f} KB  {urlsplit(url).path}")
    fps = statistics.median(r["fps"] for r in runs)
    camera = statistics.median(r["camera_bytes"] for r in runs)
    met = "met" if fps >= TARGET_FPS else "NOT met"
    print(
        f"camera coach: {fps:.1f} frames/s looked at (median of {len(runs)} runs of {SECONDS} s; "
        f"target ≥ {TARGET_FPS}: {met}); pose found in {runs[0]['frames_with_pose']} of "
        f"{runs[0]['frames']} frames; the camera mode loads {camera / 1024 / 1024:.1f} MB when "
        f"chosen (nothing before); requests to other hosts: {max(r['other_hosts'] for r in runs)}"
    )
    return {
        "fps": fps,
        "camera_bytes": camera,
        "runs": [{k: v for k, v in r.items() if k != "camera_files"} for r in runs],
    }
