"""Bob builds Alice's routine in a real browser: filter, add, note, save, all in place."""

from pathlib import Path

import pytest
from django.urls import reverse

from backstretch.routines.services import active_routine
from tests.browser.pages import log_in_with_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def log_in(page, base):
    log_in_with_password(page, base, "bob@example.org", "bob-password-1")


def test_bob_filters_to_bed_adds_two_exercises_with_a_note_and_saves(
    page, browser, live_server, patient, bob
):
    alice = patient
    base = live_server.url
    log_in(page, base)
    page.goto(base + reverse("clinic:routine", args=[alice.pk]))
    page.evaluate("window.stillTheSamePage = true")

    picker = page.locator(".builder__picker")
    picker.locator("input[name=position][value=bed]").click()
    # Sit to stand has no bed position: it leaves the list once the filter applies.
    page.wait_for_selector("button[value='add:sit-to-stand']", state="detached")
    page.get_by_role("button", name="Add Bridge").click()
    page.wait_for_selector("input[name='item-4-exercise'][value='glute-bridge']", state="attached")
    page.get_by_role("button", name="Add Tummy bracing").click()
    page.wait_for_selector("input[name='item-5-exercise']", state="attached")
    page.fill("textarea[name='item-5-note']", "Breathe out as you brace.")
    page.fill("input[name='reason']", "Adding core work")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "builder-phone-picker.png"))
    page.locator("#items").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#items').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "builder-phone-items.png"))
    page.locator(".schedule").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "builder-phone-schedule.png"))
    page.get_by_role("button", name="Save new version").click()
    page.get_by_text("Saved version 2").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True  # no full reload
    assert "follows version 2" in page.locator("#current-version").inner_text()
    version = active_routine(alice).current
    assert version.number == 2
    assert [item["exercise"] for item in version.items][-2:] == [
        "glute-bridge",
        "abdominal-bracing",
    ]
    assert version.items[-1]["note"] == "Breathe out as you brace."
    assert version.reason == "Adding core work"

    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    desktop.add_cookies(page.context.cookies())
    wide = desktop.new_page()
    wide.goto(base + reverse("clinic:routine", args=[alice.pk]))
    wide.screenshot(path=str(ARTIFACTS / "builder-desktop.png"))
    wide.locator(".schedule").scroll_into_view_if_needed()
    wide.screenshot(path=str(ARTIFACTS / "builder-desktop-schedule.png"))
    wide.goto(base + reverse("clinic:routine_history", args=[alice.pk]))
    assert wide.get_by_text("Added Bridge (floor, 5 s × 5)").is_visible()
    wide.screenshot(path=str(ARTIFACTS / "builder-history.png"))
    desktop.close()


def test_a_bad_hold_is_explained_in_place_and_nothing_is_saved(page, live_server, patient, bob):
    alice = patient
    log_in(page, live_server.url)
    page.goto(live_server.url + reverse("clinic:routine", args=[alice.pk]))
    page.screenshot(path=str(ARTIFACTS / "builder-phone-top.png"))
    page.fill("input[name='item-2-hold_seconds']", "0")
    page.get_by_role("button", name="Save new version").click()
    alert = page.get_by_role("alert").filter(has_text="Nothing was saved")
    alert.wait_for()
    assert "Hamstring stretch: hold must be between 1 and 900 seconds — you entered 0" in (
        alert.inner_text()
    )
    assert page.input_value("input[name='item-2-hold_seconds']") == "0"
    assert active_routine(alice).current.number == 1
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "builder-phone-error.png"))
