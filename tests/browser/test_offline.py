"""Offline use in a real browser: the service worker keeps today's page and the player, a
session done with no network waits in the phone's outbox (IndexedDB), and it reaches the
server exactly once when the network returns, under the routine version actually followed.

The network is cut with Playwright's ``context.set_offline``, which also cuts the service
worker's own requests; time runs fast with Playwright's clock (see test_player.py).
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from backstretch.practice.models import PracticeSession
from backstretch.routines.services import active_routine, save_version
from backstretch.routines.timeline import compile_timeline
from backstretch.safety.models import RedFlagScreen
from tests.browser.test_player import OUTBOX_COUNT, SPEECH_RECORDER, pain_button

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A self-guided patient is told truthfully that no clinician reads their session.
SYNCED_ALONE = (
    "Synced. You use Backstretch without a clinic, so your session and note stay with you: "
    "nobody else reads them."
)

SCREENS = Path("artifacts/screens")
WAITING_TODAY = (
    "Today’s session is done and saved on this phone. It will sync when you are back online."
)
WAITING_ONE = "One session is saved on this phone. It will sync when you are back online."
SYNCED = "Synced. Your sessions are saved."  # Alice is self-guided: no clinician sees them
SAVED_HERE = "Saved on this phone. It will sync when you are back online."

# "online" starts a round of sends; awaiting the page's outbox flush() waits for that round.
ONLINE_AND_FLUSHED = """async () => {
  const words = document.getElementById("pwa-script").dataset;
  const { sharedOutbox } = await import(words.outbox);
  window.dispatchEvent(new Event("online"));
  await sharedOutbox(words.api).flush();
}"""
KEPT = """async (url) => {
  const registration = await navigator.serviceWorker.ready;
  if (!registration.active || navigator.serviceWorker.controller === null) return false;
  const cache = await caches.open("backstretch-pages");
  return Boolean(await cache.match(url));
}"""


@pytest.fixture
def alice(patient):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    return patient


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    errors = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield context
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def sign_in(context, live_server, client, user):
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.add_init_script(SPEECH_RECORDER)
    # The fake clock starts in the past: a session run in a second must not end in the future.
    context.clock.install(time=datetime.now(UTC) - timedelta(hours=1))


def open_today_and_wait_until_kept(context, live_server):
    page = context.new_page()
    page.goto(f"{live_server.url}/today/")
    page.wait_for_function(KEPT, arg="/today/play/")
    return page


def play_to_the_end(page, total_seconds, pain_before=4, pain_after=2):
    pain_button(page, "before", pain_before).click()
    expect(page.locator("#screen-play")).to_be_visible()
    expect(page.locator("#play-figure svg")).to_be_visible()  # the figure file, kept too
    page.clock.run_for(total_seconds * 1000 + 1000)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    pain_button(page, "after", pain_after).click()
    page.get_by_role("button", name="Save session").click()


def test_a_session_done_offline_reaches_the_server_once_with_the_version_followed(
    phone, live_server, client, alice
):
    routine = active_routine(alice)
    followed = routine.current
    timeline = compile_timeline(followed.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = open_today_and_wait_until_kept(phone, live_server)

    phone.set_offline(True)
    page.reload()  # served by the service worker: there is no network
    expect(page.get_by_role("heading", name=routine.name)).to_be_visible()
    page.get_by_role("link", name="Start today’s routine").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    expect(page.locator("template[data-figure]")).not_to_have_count(0)  # the figures came too
    play_to_the_end(page, timeline["total_seconds"])
    status = page.locator("#result-save")
    expect(status).to_have_text(SAVED_HERE)
    expect(status).to_have_attribute("role", "status")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "offline-1-saved-on-phone.png")
    assert PracticeSession.objects.count() == 0
    assert page.evaluate(OUTBOX_COUNT) == 1

    # The clinician changes the routine while the phone is away.
    save_version(routine, [followed.items[0]], reason="Fewer exercises")
    assert active_routine(alice).current.pk != followed.pk

    # Closed and opened again, still offline: the session is still there, and says so.
    page.close()
    page = phone.new_page()
    page.goto(f"{live_server.url}/today/")
    note = page.locator("#outbox-note")
    expect(note).to_have_text(WAITING_TODAY)
    expect(page.get_by_text("Done today — well done. It is saved on this phone.")).to_be_visible()
    expect(note).to_have_attribute("role", "status")
    page.screenshot(path=SCREENS / "offline-2-waiting-on-today.png")
    assert PracticeSession.objects.count() == 0

    phone.set_offline(False)
    expect(note).to_have_text(SYNCED)
    expect(page.get_by_text("Done today — well done.", exact=True)).to_be_visible()
    page.screenshot(path=SCREENS / "offline-3-synced.png")
    # Another page open, another "online": still exactly one copy.
    page.reload()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox-note")).to_be_hidden()
    assert PracticeSession.objects.count() == 1
    session = PracticeSession.objects.get()
    assert session.routine_version_id == followed.pk, "the version actually followed"
    assert (session.pain_before, session.pain_after, session.completed) == (4, 2, True)
    assert [s["index"] for s in session.steps] == list(range(len(timeline["steps"])))
    assert {s["result"] for s in session.steps} == {"done"}
    assert session.holds_done == 45
    assert page.evaluate(OUTBOX_COUNT) == 0


def test_the_player_says_synced_when_the_network_returns(phone, live_server, client, alice):
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = open_today_and_wait_until_kept(phone, live_server)
    page.goto(f"{live_server.url}/today/play/")
    phone.set_offline(True)
    play_to_the_end(page, timeline["total_seconds"], pain_before=3, pain_after=3)
    status = page.locator("#result-save")
    expect(status).to_have_text(SAVED_HERE)
    expect(page.locator("#outbox-note")).to_be_hidden()  # the result screen already says it
    phone.set_offline(False)
    expect(status).to_have_text(SYNCED_ALONE)
    page.screenshot(path=SCREENS / "offline-4-player-synced.png")
    assert PracticeSession.objects.get().pain_before == 3


def test_a_lost_answer_is_retried_without_a_second_copy(phone, live_server, client, alice):
    """The server saves the session but the phone never hears back: the retry, with the same
    client id, gets the saved copy instead of making another."""
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    answers = []

    def lose_first_answer(route):
        response = route.fetch()
        answers.append(response.status)
        if len(answers) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/me/sessions", lose_first_answer)
    page.goto(f"{live_server.url}/today/play/")
    play_to_the_end(page, timeline["total_seconds"])
    expect(page.locator("#result-save")).to_have_text(SAVED_HERE)
    page.clock.run_for(3_000)  # the first retry comes after 2 seconds
    expect(page.locator("#result-save")).to_have_text(SYNCED_ALONE)
    assert answers == [201, 200]
    assert PracticeSession.objects.count() == 1


def test_sessions_an_older_player_kept_are_moved_over_and_sent(phone, live_server, client, alice):
    version = active_routine(alice).current.pk
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    page.goto(f"{live_server.url}/healthz")  # a page without the app's scripts
    started = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    ended = (datetime.now(UTC) - timedelta(hours=1, minutes=50)).isoformat()
    kept = {
        "client_id": "8d0c6a52-1d55-4a4e-9d0f-2f3a0e6e4a11",
        "routine_version": version,
        "started_at": started,
        "ended_at": ended,
        "pain_before": 5,
        "completed": False,
        "steps": [],
    }
    page.evaluate(
        "(s) => localStorage.setItem('backstretch.outbox.v1', JSON.stringify({[s.client_id]: s}))",
        kept,
    )
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#outbox-note")).to_have_text(SYNCED)
    assert page.evaluate("() => localStorage.getItem('backstretch.outbox.v1')") is None
    session = PracticeSession.objects.get()
    assert str(session.client_id) == kept["client_id"] and session.pain_before == 5


# What this site keeps in the browser: cache names, IndexedDB databases, service workers.
KEPT_IN_BROWSER = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((db) => db.name),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""
NOTHING_KEPT = {"caches": [], "databases": [], "workers": 0}
LOGGED_OUT = "Log in"
UNSENT_ONE = (
    "One session done on this phone has not reached the server yet. If you log out now, it is "
    "deleted from this phone and lost."
)


def test_logging_out_forgets_the_kept_pages(phone, live_server, client, alice):
    sign_in(phone, live_server, client, alice)
    page = open_today_and_wait_until_kept(phone, live_server)
    assert page.evaluate(KEPT_IN_BROWSER)["workers"] == 1
    with page.expect_response("**/accounts/logout/") as answer:
        page.get_by_role("button", name="Log out").click()
    assert answer.value.all_headers()["clear-site-data"] == '"cache", "storage"'
    expect(page.get_by_role("navigation").get_by_role("link", name=LOGGED_OUT)).to_be_visible()
    # The kept pages, the outbox's database and the service worker are gone from the phone.
    assert page.evaluate(KEPT_IN_BROWSER) == NOTHING_KEPT
    # Offline, nothing of Alice's is there to show: no worker answers with a kept copy of
    # Today, so the browser's own "no internet" error is all there is.
    phone.set_offline(True)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{live_server.url}/today/")


def test_a_page_not_kept_says_plainly_that_it_needs_the_internet(phone, live_server, client, alice):
    sign_in(phone, live_server, client, alice)
    page = open_today_and_wait_until_kept(phone, live_server)
    phone.set_offline(True)
    page.goto(f"{live_server.url}/history/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "offline-5-page-not-kept.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SCREENS / "offline-5-page-not-kept-desktop.png")
    page.get_by_role("link", name="Go to Today").click()
    expect(page.get_by_role("heading", name="Daily four")).to_be_visible()
    page.screenshot(path=SCREENS / "offline-6-today-desktop.png")


def test_a_server_failure_is_retried_and_a_refusal_is_shown_and_kept(
    phone, live_server, client, alice
):
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    answers = iter([503, None])  # the server is down once, then takes the session

    def flaky_server(route):
        status = next(answers, None)
        if status:
            route.fulfill(status=status, json={"detail": "down for maintenance"})
        else:
            route.continue_()

    page.route("**/api/v1/me/sessions", flaky_server)
    page.goto(f"{live_server.url}/today/play/")
    play_to_the_end(page, timeline["total_seconds"])
    status = page.locator("#result-save")
    expect(status).to_have_text(
        "Saved on this phone. The server did not answer yet; we will keep trying."
    )
    page.clock.run_for(3_000)
    expect(status).to_have_text(SYNCED_ALONE)
    assert PracticeSession.objects.count() == 1

    # A session the server will never take (422) is said plainly and kept aside, not lost.
    page.unroute("**/api/v1/me/sessions")
    page.route(
        "**/api/v1/me/sessions",
        lambda route: route.fulfill(
            status=422, json={"detail": "pain_after: must be a whole number from 0 to 10"}
        ),
    )
    page.goto(f"{live_server.url}/today/play/")
    play_to_the_end(page, timeline["total_seconds"])
    expect(status).to_have_text(
        "The server could not save this session: pain_after: must be a whole number from 0 to 10"
    )
    kept = page.evaluate(
        """() => new Promise((resolve) => {
          const opening = indexedDB.open("backstretch");
          opening.onsuccess = () => {
            const all = opening.result.transaction("refused").objectStore("refused").getAll();
            all.onsuccess = () => resolve(all.result.map((r) => [r.status, r.session.pain_after]));
          };
        })"""
    )
    assert kept == [[422, 2]]
    assert page.evaluate(OUTBOX_COUNT) == 0, "not retried for ever"
    assert PracticeSession.objects.count() == 1


def test_on_a_shared_phone_a_session_waits_for_the_person_who_did_it(
    phone, live_server, client, alice, other_patient
):
    RedFlagScreen.objects.create(user=other_patient, answers={}, urgency="clear")
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    page.goto(f"{live_server.url}/today/play/")
    phone.set_offline(True)
    play_to_the_end(page, timeline["total_seconds"])
    expect(page.locator("#result-save")).to_have_text(SAVED_HERE)

    # Charlie signs in on the same phone, online: Alice's session is not his to send.
    phone.clear_cookies()
    phone.set_offline(False)
    sign_in_as = client.__class__()
    sign_in_as.force_login(other_patient)
    phone.add_cookies(
        [
            {
                "name": "sessionid",
                "value": sign_in_as.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_role("heading", name="Daily four")).to_be_visible()
    # Back online: wait until the outbox has finished the round of sends that "online" starts.
    page.evaluate(ONLINE_AND_FLUSHED)
    expect(page.locator("#outbox-note")).to_be_hidden()
    assert PracticeSession.objects.count() == 0

    # Alice again: it is sent, under her name.
    phone.clear_cookies()
    client.force_login(alice)
    phone.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#outbox-note")).to_have_text(SYNCED)
    assert PracticeSession.objects.get().patient == alice


def server_down(route):
    route.fulfill(status=503, json={"detail": "down for maintenance"})


def test_logging_out_sends_a_waiting_session_first(phone, live_server, client, alice):
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    page.route("**/api/v1/me/sessions", server_down)
    page.goto(f"{live_server.url}/today/play/")
    play_to_the_end(page, timeline["total_seconds"])
    expect(page.locator("#result-save")).to_contain_text("Saved on this phone.")
    assert PracticeSession.objects.count() == 0

    page.unroute("**/api/v1/me/sessions")  # the server is back; the next retry is not due yet
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name=LOGGED_OUT)).to_be_visible()
    assert PracticeSession.objects.get().pain_after == 2, "sent before logging out"
    assert page.evaluate(KEPT_IN_BROWSER)["databases"] == []


def test_logging_out_warns_before_a_session_that_cannot_be_sent_is_lost(
    phone, live_server, client, alice
):
    timeline = compile_timeline(active_routine(alice).current.routine_items()).to_json()
    sign_in(phone, live_server, client, alice)
    page = phone.new_page()
    page.route("**/api/v1/me/sessions", server_down)
    page.goto(f"{live_server.url}/today/play/")
    play_to_the_end(page, timeline["total_seconds"])
    expect(page.locator("#result-save")).to_contain_text("Saved on this phone.")

    page.get_by_role("button", name="Log out").click()
    warning = page.get_by_role("dialog", name="Not sent yet")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(UNSENT_ONE)
    expect(warning.get_by_role("button", name="Stay logged in")).to_be_focused()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "offline-7-logout-warning.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SCREENS / "offline-7-logout-warning-desktop.png")

    # Staying keeps the session on the phone, still waiting to be sent.
    warning.get_by_role("button", name="Stay logged in").click()
    expect(warning).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate(OUTBOX_COUNT) == 1

    # Escape is staying too; choosing to lose it logs out and leaves nothing behind.
    page.get_by_role("button", name="Log out").click()
    expect(warning).to_be_visible()
    page.keyboard.press("Escape")
    expect(warning).to_be_hidden()
    assert page.evaluate(OUTBOX_COUNT) == 1

    # With no network at all, logging out cannot happen: it says so and deletes nothing.
    phone.set_offline(True)
    page.get_by_role("button", name="Log out").click()
    offline = page.get_by_role("dialog", name="You are offline")
    expect(offline).to_contain_text("until then nothing is deleted from this phone")
    offline.get_by_role("button", name="OK").click()
    expect(offline).to_be_hidden()
    assert page.evaluate(OUTBOX_COUNT) == 1
    phone.set_offline(False)

    page.get_by_role("button", name="Log out").click()
    warning.get_by_role("button", name="Log out and lose it").click()
    expect(page.get_by_role("navigation").get_by_role("link", name=LOGGED_OUT)).to_be_visible()
    assert page.evaluate(KEPT_IN_BROWSER) == NOTHING_KEPT
    assert PracticeSession.objects.count() == 0
