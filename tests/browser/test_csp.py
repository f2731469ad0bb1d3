"""The Content-Security-Policy in a real browser: every page of the permission table, as each
role that may see it, loads in Chromium without one violation; so does the player running, an
htmx swap, the API's docs page and Django's admin log-in.

The watching itself is in conftest.py (``no_csp_violations``, for every browser test): this
module makes sure every page is visited and that the policy it is held to is the strict one.
"""

import re

import pytest
from playwright.sync_api import expect

from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from backstretch.safety.models import RedFlagScreen
from tests.browser.test_player import SPEECH_RECORDER
from tests.test_permissions import ROLES, TABLE, url_for
from tests.test_permissions import cast as permission_cast  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The policy every page gets (settings.py); script-src may carry the request's nonce.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# The player runs the camera coach's pose model as WebAssembly (static/player/camera.js): it
# alone may compile WebAssembly, which evaluates no JavaScript.
PLAYER_POLICY = {**POLICY, "script-src": ["'self'", "'wasm-unsafe-eval'"]}
NONCE = re.compile(r"^'nonce-[A-Za-z0-9+/=]{16,}'$")
SHOWN = ("text/html", "image/svg+xml")  # documents a browser renders, where a policy acts


def policy_of(header: str | None) -> dict[str, list[str]]:
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = [s for s in sources if not NONCE.match(s)]
    return directives


def pages_by_role(kwargs) -> dict[str, list[str]]:
    """Every URL of the permission table that answers 200 to a GET, for each role."""
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    for name, row in TABLE.items():
        for index, role in enumerate(ROLES):
            if row.get[index] == 200:
                pages[role].append(url_for(name, kwargs))
    return pages


def signed_in(browser, live_server, client, user):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    if user is not None:
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return context


def settle(page) -> None:
    """Let violation events still queued as tasks reach the watcher before the next page."""
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")


def test_every_page_keeps_to_a_strict_policy(
    browser, live_server, client, request, no_csp_violations
):
    users, kwargs = request.getfixturevalue("permission_cast")
    users = {"anonymous": None, **users}
    visited = []
    wrong_policy = []
    for role, urls in pages_by_role(kwargs).items():
        context = signed_in(browser, live_server, client.__class__(), users[role])
        page = context.new_page()
        for url in urls:
            kind = page.request.get(f"{live_server.url}{url}").headers["content-type"]
            if not kind.startswith(SHOWN):
                continue  # JSON, a calendar, a picture: nothing a policy acts on
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.ok, f"{url} as {role}: {response}"
            got = policy_of(response.headers.get("content-security-policy"))
            expected = PLAYER_POLICY if url.startswith("/today/play/") else POLICY
            if got != expected:
                wrong_policy.append(f"{url} as {role}: {got}")
            settle(page)
            visited.append(f"{url} as {role}")
        context.close()
    assert len(visited) > 40
    assert wrong_policy == [], "\n".join(wrong_policy)
    assert no_csp_violations == []


def test_the_api_docs_and_the_admin_log_in_keep_to_the_policy(
    browser, live_server, client, no_csp_violations
):
    context = signed_in(browser, live_server, client, None)
    page = context.new_page()
    docs = page.goto(f"{live_server.url}/api/docs")
    expect(page.locator("#swagger-ui .info .title")).to_be_visible()
    settle(page)
    admin = page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_label("Password")).to_be_visible()
    settle(page)
    for response in (docs, admin):
        assert response is not None
        assert policy_of(response.headers.get("content-security-policy")) == POLICY
    context.close()
    assert no_csp_violations == []


def test_the_player_runs_and_pauses_for_pain_within_the_policy(
    browser, live_server, client, patient, no_csp_violations
):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    timeline = compile_timeline(active_routine(patient).current.routine_items()).to_json()
    context = signed_in(browser, live_server, client, patient)
    context.add_init_script(SPEECH_RECORDER)
    page = context.new_page()
    page.clock.install()
    response = page.goto(f"{live_server.url}/today/play/")
    assert response is not None
    # Browsers hide a nonce from the page's markup once read; the element's property keeps it.
    nonce = page.locator('script[type="importmap"]').evaluate("(script) => script.nonce")
    assert nonce and f"'nonce-{nonce}'" in response.headers["content-security-policy"]
    page.get_by_role("button", name="4", exact=True).first.click()
    expect(page.locator("#screen-play")).to_be_visible()
    page.clock.run_for(30_000)  # into the first exercise: figures cloned in, cues spoken
    expect(page.locator("#play-figure svg")).to_be_visible()
    assert page.evaluate("() => window.__spoken.length") > 0
    page.get_by_role("button", name="This hurts").click()
    expect(page.get_by_role("heading", name="Paused. Let's check.")).to_be_visible()
    page.get_by_role("button", name="Back to the session").click()
    page.clock.run_for(timeline["total_seconds"] * 1000)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    settle(page)
    context.close()
    assert no_csp_violations == []


def test_an_htmx_swap_and_a_still_figure_for_reduced_motion(
    browser, live_server, client, library, no_csp_violations
):
    context = signed_in(browser, live_server, client, None)
    page = context.new_page()
    page.goto(f"{live_server.url}/library/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.sameDocument = true; }")
    with page.expect_response(lambda r: "position=bed" in r.url):
        page.get_by_role("radio", name="Bed").click()
    page.wait_for_url("**/library/?*position=bed*")
    assert page.evaluate("() => window.sameDocument") is True  # swapped, not reloaded

    # An animated figure (a file) moves; asked for less motion, its end pose shows instead.
    page.goto(f"{live_server.url}/library/hamstring-stretch/")
    animated = page.locator('img[src*="_animated."]').first
    expect(animated).to_be_visible()
    assert "_animated." in animated.evaluate("(img) => img.currentSrc")
    page.emulate_media(reduced_motion="reduce")
    page.wait_for_function(
        "(img) => img.currentSrc.includes('_end.')", arg=animated.element_handle()
    )
    expect(animated).to_be_visible()
    settle(page)
    context.close()
    assert no_csp_violations == []
