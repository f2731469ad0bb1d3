"""A clinic admin exports the whole clinic: she asks on the Exports page, the page says it waits
for a worker, and once a worker has made it the page shows the download on its own (htmx
polling, no reload); the zip she downloads opens."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.pages import logged_in, shot
from tests.cast import join, make_patient
from tests.queue import run_queue
from tests.sessions import practise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_an_admin_asks_for_an_export_and_downloads_it_when_ready(
    browser, live_server, settings, tmp_path, northside, bob, dana
):
    settings.DATA_DIR = tmp_path / "data"
    patient = make_patient("pat@example.org", "pw-123456789", "Pat")
    join(northside, bob, patient)
    practise(patient, days_ago=1, pain_before=5, pain_after=3)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page, errors = logged_in(browser, live_server, dana, viewport)
        page.context.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/clinic/{northside.pk}/exports/")
        page.get_by_role("button", name="Export the whole clinic").click()
        row = page.locator("#export-list tbody tr").first
        expect(row).to_contain_text("waiting for a worker")
        shot(page, f"clinic-export-waiting-{name}")
        run_queue()
        # No reload: the list asks again every few seconds while something is unfinished.
        link = row.get_by_role("link", name="Download")
        expect(link).to_be_visible()
        expect(row).to_have_attribute("data-state", "ready")
        shot(page, f"clinic-export-ready-{name}")
        page.context.close()
        assert errors == []


def test_the_zip_she_downloads_opens(browser, live_server, settings, tmp_path, northside, dana):
    settings.DATA_DIR = tmp_path / "data"
    from backstretch.records.clinic_exports import request_export

    request_export(northside, dana, live_server.url)
    run_queue()
    page, errors = logged_in(browser, live_server, dana, DESKTOP)
    page.goto(f"{live_server.url}/clinic/{northside.pk}/exports/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").first.click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"README.txt", "summary.csv"} <= set(archive.namelist())
    assert errors == []
