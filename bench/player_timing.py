"""How punctually the browser player starts each step, in real time.

A real `backstretch serve` on a fresh data dir gets a patient with a short custom routine
(about two minutes). Headless Chromium opens /today/play/, taps a pain score and plays the
whole routine with the real clock. The page dispatches a `player:step` event for every step
with its planned start (the previous step's deadline) and the `performance.now()` at which
it actually started; lateness = actual - planned. Targets: max ≤ 50 ms, and no growth over
the run (median of the last quarter of steps vs the first quarter).
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.support import served

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

# Child's pose 5 s × 6 and hamstring stretch 5 s × 3 each leg: 118 s with intros and switches.
ITEMS = [
    {
        "exercise": "childs-pose",
        "position": "floor",
        "hold_seconds": 5,
        "repetitions": 6,
        "sides": "none",
        "rest_seconds": 3,
    },
    {
        "exercise": "hamstring-stretch",
        "position": "floor",
        "hold_seconds": 5,
        "repetitions": 3,
        "sides": "each",
        "rest_seconds": 3,
    },
]

# Run inside `backstretch shell -c`: a screened patient with the routine above, and a logged-in
# session whose key is written to a file, so the browser can carry it as its cookie.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from backstretch.accounts.models import PatientProfile, User
from backstretch.routines.models import Routine
from backstretch.routines.services import save_version, start_routine_from_template

user = User.objects.create_user("bench@example.org", "bench-password-1", name="Bench")
PatientProfile.objects.create(user=user, screened_by_clinician=True)
items = json.loads({items!r})
if items:
    routine = Routine.objects.create(patient=user, name="Bench routine")
    save_version(routine, items, reason="benchmark")
else:
    start_routine_from_template(user, "daily-four")
store = SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
open({out!r}, "w").write(store.session_key)
"""

RECORDER = """
window.__steps = [];
document.addEventListener("player:step", (event) => window.__steps.push(event.detail));
"""


@contextlib.contextmanager
def player_site(items: list[dict[str, Any]] | None = None) -> Iterator[tuple[str, str]]:
    """A served app with the bench patient on ``items`` (default: the short ITEMS routine;
    an empty list: the shipped daily-four); yields (base URL, session cookie value)."""
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-key-") as scratch:
        key_file = Path(scratch) / "session"
        routine = ITEMS if items is None else items
        script = SETUP.format(items=json.dumps(routine), out=str(key_file))
        setup = [
            ["migrate", "--no-input", "-v0"],
            ["library", "sync"],
            ["shell", "--no-imports", "-c", script],
        ]
        with served(workers=2, setup=setup) as base:
            yield base, key_file.read_text().strip()


@contextlib.contextmanager
def chromium_page(
    base: str, session_key: str, args: tuple[str, ...] = (), **context_options: Any
) -> Iterator[Any]:
    """A page of headless Chromium (with ``args`` besides ours), logged in as the bench patient."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *args])
        try:
            context = browser.new_context(viewport=PHONE, **context_options)
            context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
            yield context.new_page()
        finally:
            browser.close()


def play_once(base: str, session_key: str) -> list[dict[str, float]]:
    with chromium_page(base, session_key) as page:
        page.add_init_script(RECORDER)
        page.goto(f"{base}/today/play/")
        total = json.loads(page.locator("#player-timeline").text_content())["total_seconds"]
        page.locator('[data-pain-scale="before"] button[data-value="3"]').click()
        page.wait_for_function(
            "() => document.getElementById('player').dataset.state === 'end'",
            timeout=(total + 30) * 1000,
        )
        steps: list[dict[str, float]] = page.evaluate("() => window.__steps")
        return steps


def lateness(steps: list[dict[str, float]]) -> list[float]:
    # The first step starts when tapped (planned = actual by definition): leave it out.
    return [step["actual"] - step["planned"] for step in steps[1:]]


def quarter_medians(values: list[float]) -> tuple[float, float]:
    quarter = max(1, len(values) // 4)
    return statistics.median(values[:quarter]), statistics.median(values[-quarter:])


def run(quick: bool = False) -> dict[str, Any]:
    runs = 1 if quick else 3
    results: list[dict[str, float]] = []
    with player_site() as (base, session_key):
        for number in range(1, runs + 1):
            steps = play_once(base, session_key)
            late = lateness(steps)
            first, last = quarter_medians(late)
            result = {
                "steps": len(steps),
                "planned_seconds": round((steps[-1]["planned"] - steps[0]["planned"]) / 1000, 1),
                "max_ms": round(max(late), 2),
                "median_ms": round(statistics.median(late), 2),
                "first_quarter_median_ms": round(first, 2),
                "last_quarter_median_ms": round(last, 2),
            }
            results.append(result)
            print(
                f"run {number}: {result['steps']} steps over {result['planned_seconds']} s  "
                f"lateness median {result['median_ms']:.2f} ms  max {result['max_ms']:.2f} ms  "
                f"first/last quarter median {first:.2f}/{last:.2f} ms",
                flush=True,
            )
    summary = {
        key: round(statistics.median(r[key] for r in results), 2)
        for key in ("max_ms", "median_ms", "first_quarter_median_ms", "last_quarter_median_ms")
    }
    print(
        f"median of {runs} run(s): max {summary['max_ms']:.2f} ms (target ≤ 50), "
        f"median {summary['median_ms']:.2f} ms, first/last quarter "
        f"{summary['first_quarter_median_ms']:.2f}/{summary['last_quarter_median_ms']:.2f} ms"
    )
    return {"runs": results, "median": summary}
