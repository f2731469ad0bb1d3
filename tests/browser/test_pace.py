"""The player's timing rules: a patient slows the routine once, on their profile, and every
session keeps it; a pause needs no voice (a button, the space bar); every cue is on screen,
and a screen reader hears it from the live region only when the voice does not say it."""

import pytest
from playwright.sync_api import expect

from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from tests.browser.pages import logged_in
from tests.browser.test_player import SPEECH_RECORDER
from tests.cast import cleared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PLAYED_SECONDS = "() => window.backstretchPlayer.played.map((step) => step.seconds)"


def test_a_slower_pace_is_chosen_once_and_every_session_keeps_it(browser, live_server, patient):
    page, errors = logged_in(browser, live_server, cleared(patient), PHONE)
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_label("Slower: longer holds").check()
    page.get_by_role("button", name="Save the pace").click()
    expect(page.get_by_text("Your guided session goes at this pace from now on")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Slower: longer holds")).to_be_checked()

    items = active_routine(patient).current.routine_items()
    usual = [step.seconds for step in compile_timeline(items).steps]
    slower = [step.seconds for step in compile_timeline(items, pace="slower").steps]
    page.goto(f"{live_server.url}/today/play/")
    page.locator('[data-action="skip-pain"]').click()
    expect(page.locator("#play-name")).not_to_be_empty()
    assert page.evaluate(PLAYED_SECONDS) == slower != usual
    assert errors == []


def test_pausing_needs_no_voice_and_every_cue_is_said_once(browser, live_server, patient):
    page, errors = logged_in(browser, live_server, cleared(patient), PHONE)
    page.add_init_script(SPEECH_RECORDER)
    page.goto(f"{live_server.url}/today/play/")
    page.locator('[data-action="skip-pain"]').click()
    cue = page.locator("#play-cue")
    expect(cue).not_to_be_empty()
    live = page.locator("#play-live")
    expect(live).to_have_attribute("aria-live", "polite")
    # The voice says the first cue: the live region stays quiet, not to say it twice.
    assert page.evaluate("() => window.__spoken") == [cue.text_content()]
    assert live.text_content() == ""

    # Muted: the next cue is shown and goes to the live region, and nothing is spoken.
    page.get_by_role("button", name="Mute").click()
    page.get_by_role("button", name="Skip step").click()
    expect(page.locator("#play-kind")).to_have_text("Move into it")
    expect(live).to_have_text(cue.text_content().strip())
    assert len(page.evaluate("() => window.__spoken")) == 1

    # Pause and resume by button and by the space bar, without a word.
    expect(page.locator("#play-paused")).to_be_hidden()
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#play-paused")).to_be_visible()
    expect(live).to_contain_text("Paused")
    assert page.evaluate("() => window.backstretchPlayer.state") == "paused"
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#play-paused")).to_be_hidden()
    page.locator("#play-name").focus()
    page.keyboard.press("Space")
    expect(page.locator("#play-paused")).to_be_visible()
    assert errors == []
