"""Closing the loop in a real browser: Bob sees Lena (a pain jump from 6 to 9, so the red-flag
questions are asked again) at the top of his list, marks both reasons dealt with and her row
clears; Lena answers with a red flag and is locked, with tap-to-call numbers; Bob clears the
lock on her page and she can play again."""

import pytest
from playwright.sync_api import expect

from backstretch.clinic.models import Clinic
from backstretch.safety.redflags import QUESTION_KEYS
from tests.browser.pages import log_in_with_password
from tests.cast import make_patient, make_staff
from tests.sessions import practise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def clinic(library):
    clinic = Clinic.objects.create(name="Loop Back Care")
    bob = make_staff(clinic, "bob@example.org", "bob-password-1", "Bob Baker")
    olly = make_patient(
        "olly@example.org", "olly-password-1", "Olly Owen", clinic=clinic, clinician=bob
    )
    lena = make_patient(
        "lena@example.org", "lena-password-1", "Lena Lund", clinic=clinic, clinician=bob
    )
    for days_ago in range(1, 8):
        practise(olly, days_ago=days_ago, pain_before=4, pain_after=3)
        practise(lena, days_ago=days_ago + 1, pain_before=4, pain_after=4)
    practise(lena, days_ago=1, pain_before=6, pain_after=9, completed=False)
    return clinic


def log_in(browser, base, email, password, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log_in_with_password(page, base, email, password)
    return page


def test_dealt_with_clears_the_row_and_a_clinician_lifts_a_red_flag_lock(
    browser, live_server, clinic
):
    base = live_server.url
    bob = log_in(browser, base, "bob@example.org", "bob-password-1", DESKTOP)
    bob.goto(f"{base}/clinic/")
    needs = bob.locator(".patient-group--call .patient-row")
    expect(needs.first.locator(".patient-row__name")).to_have_text("Lena Lund")
    expect(needs.first).to_contain_text("Pain jumped from 6 to 9 in one session")

    for reason in ("Pain jumped", "Asked the red-flag questions again"):
        row = bob.locator(".patient-group--call .patient-row", has_text="Lena Lund")
        row.locator(".reason", has_text=reason).get_by_role("link").click()
        bob.get_by_label("Note (optional)").fill("Called her: sore, no new symptoms.")
        bob.get_by_role("button", name="Mark as dealt with").click()
        expect(bob.locator(".people-message")).to_contain_text("Marked as dealt with")
    expect(bob.locator(".patient-group--call")).not_to_contain_text("Lena Lund")
    expect(bob.locator(".patient-list").last).to_contain_text("Lena Lund")

    lena = log_in(browser, base, "lena@example.org", "lena-password-1", PHONE)
    lena.goto(f"{base}/today/")
    expect(lena).to_have_url(f"{base}/safety/check/")
    for key in QUESTION_KEYS:
        lena.locator(f"input[name={key}][value={'yes' if key == 'both_legs' else 'no'}]").check()
    lena.locator("main form button[type=submit]").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Get emergency care now")
    expect(lena.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(lena.locator(".cleared-panel")).to_contain_text("until one of its clinicians")
    lena.goto(f"{base}/today/")
    expect(lena.get_by_role("heading", level=1)).to_have_text("Get emergency care now")

    bob.goto(f"{base}/clinic/")
    expect(needs.first).to_contain_text("Red-flag answers point to emergency care")
    needs.first.locator(".patient-row__name").click()
    panel = bob.locator("#red-flag")
    expect(panel).to_contain_text("going down both of your legs")
    panel.get_by_label("I have checked this patient").check()
    panel.get_by_role("button", name="Clear the lock").click()
    expect(bob.locator(".people-message")).to_contain_text("can do their routine again")
    expect(bob.locator("#red-flag")).to_contain_text("Cleared by Bob Baker on")

    lena.goto(f"{base}/today/")
    expect(lena).to_have_url(f"{base}/today/")
    lena.get_by_role("link", name="Start").click()
    expect(lena).to_have_url(f"{base}/today/play/")
