"""A patient takes their data and leaves: from the profile page she downloads her record as a
zip and as a FHIR Bundle (the test opens both), then deletes her account with her password (a
wrong one deletes nothing and says so) and can no longer log in."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.accounts.models import User
from backstretch.records.models import ErasedRecord
from tests.fhir_check import validate_bundle
from tests.sessions import practise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("artifacts/screens")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "alice-password-1"  # tests/conftest.py


def log_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def shot(page, name, locator=None):
    SCREENS.mkdir(parents=True, exist_ok=True)
    if locator is None:
        page.screenshot(path=SCREENS / f"{name}.png", full_page=True)
    else:
        locator.screenshot(path=SCREENS / f"{name}.png")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: page scrolls sideways"


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_a_patient_downloads_her_data_then_deletes_her_account(browser, live_server, bob, patient):
    base = live_server.url
    practise(patient, days_ago=2, note="Felt easier today")
    practise(patient, days_ago=1, pain_before=4, pain_after=2)

    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        page = context.new_page()
        log_in(page, base, patient.email, PASSWORD)
        page.goto(f"{base}/accounts/profile/")
        section = page.locator("section.your-data")
        expect(section.get_by_role("heading", name="Your data")).to_be_visible()
        section.scroll_into_view_if_needed()
        shot(page, f"records-profile-{name}", section)
        context.close()

    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, patient.email, PASSWORD)
    page.goto(f"{base}/accounts/profile/")

    filename, data = download(page, "Download my data")
    assert filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        readme = archive.read("README.txt").decode()
        sessions = list(
            csv.DictReader(io.StringIO(archive.read("sessions.csv").decode("utf-8-sig")))
        )
    assert "sessions.csv" in readme
    assert [s["note"] for s in sessions] == ["Felt easier today", ""]

    filename, data = download(page, "Download for a health record system (FHIR)")
    assert filename.endswith(".fhir.json")
    kinds = validate_bundle(json.loads(data))
    assert kinds["Patient"] == 1 and kinds["Procedure"] == 2

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    shot(page, "records-delete-phone")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not your password")
    assert User.objects.filter(pk=patient.pk).exists()
    shot(page, "records-delete-wrong-password-phone")
    page.set_viewport_size(DESKTOP)
    shot(page, "records-delete-desktop")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    assert not User.objects.filter(email=patient.email).exists()
    assert ErasedRecord.objects.count() == 1

    log_in(page, base, "alice@example.org", PASSWORD)
    expect(page.locator("main")).to_contain_text(
        "That e-mail address and password do not match an account"
    )
    context.close()
    assert errors == []
