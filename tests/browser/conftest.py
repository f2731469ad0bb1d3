"""Shared fixtures for browser tests: Debian's Chromium driven by Playwright's sync API."""

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.clock import noon_zone
from tests.test_permissions import cast  # noqa: F401  (the permission matrix's people and ids)

# Playwright's sync API runs an event loop in this thread; Django refuses database work from
# a thread with a running loop unless told that it is safe, which it is here (one thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# Every wait in a browser test is for a state (a text, an attribute, a URL). On a busy machine a
# page can take far longer than Playwright's 5 s default for expect(): wait up to 30 s, as its
# actions already do. A passing wait ends as soon as the state is there.
WAIT_MS = 30_000


@pytest.fixture(scope="session")
def playwright():
    """Playwright's one driver for the session (its sync API allows one at a time)."""
    # CI must not skip browser tests: a missing browser is a failure with a clear reason.
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); "
            "do not run `playwright install`",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


# Every page a browser test opens reports what its Content-Security-Policy blocked: Chromium
# fires "securitypolicyviolation" (seen by this script, in the page before its own scripts)
# and logs the refusal on the console. Either fails the test (no_csp_violations below).
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
}, true);
"""
CSP_WORDS = ("CSP violation", "Content Security Policy", "Content-Security-Policy")


def watch_csp(context, violations: list[str]) -> None:
    context.add_init_script(CSP_WATCH)

    def on_console(message):
        if message.type == "error" and any(word in message.text for word in CSP_WORDS):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser context a test makes is watched; any CSP violation fails the test."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    violations: list[str] = []
    make_context = browser.new_context

    def new_context(**options):
        context = make_context(**options)
        watch_csp(context, violations)
        return context

    browser.new_context = new_context
    yield violations
    del browser.new_context
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def patient(patient):
    """Alice, living where it is about noon now: a browser's player runs on the real clock
    (set back an hour), so near midnight her session would otherwise land on yesterday."""
    patient.time_zone = noon_zone()
    patient.save(update_fields=["time_zone"])
    return patient


@pytest.fixture
def page(browser):
    """A fresh page at a phone's size; console errors fail the test that made them."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    phone_page = context.new_page()
    errors = []
    phone_page.on("pageerror", lambda error: errors.append(str(error)))
    yield phone_page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def answering_a_request() -> bool:
    """Whether a live-server thread is inside Django answering a request. A thread waiting on
    a kept-alive connection for the browser's next request sits in Django's basehttp only."""
    frames = sys._current_frames()
    for thread in threading.enumerate():
        if not thread.name.endswith("(process_request_thread)"):
            continue
        frame = frames.get(thread.ident or -1)
        while frame is not None:
            name = frame.f_code.co_filename
            if "/django/" in name and not name.endswith("servers/basehttp.py"):
                return True
            frame = frame.f_back
    return False


@pytest.fixture(autouse=True)
def live_server_requests_finished(request):
    """After a test, wait until the live server has answered every request the browser made:
    one still running when the database is emptied for the next test can deadlock with it on
    PostgreSQL. Set up after the live server, so this runs before the database is emptied."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    yield
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline and answering_a_request():
        time.sleep(0.05)  # poll: a request is still being answered
