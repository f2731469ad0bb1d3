"""A patient of one clinic opens another clinic's invitation sent to her: the page names the new
clinic, what it will see and that her clinic stops seeing it, and she moves only once she ticks
that she agrees."""

import pytest
from playwright.sync_api import expect

from backstretch.clinic.models import AuditEvent
from backstretch.clinic.services import invite
from tests.browser.pages import logged_in, shot
from tests.cast import join, make_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_a_patient_moves_to_another_clinic_only_after_agreeing(
    browser, live_server, northside, southside, bob, eve
):
    maya = join(southside, eve, make_patient("maya@example.org", "maya-password-1", "Maya"))
    link = f"{live_server.url}/invite/{invite(northside, bob, 'patient', maya.email).token}/"

    desk, desk_errors = logged_in(browser, live_server, maya, DESKTOP)
    desk.goto(link)
    expect(desk.get_by_role("heading", name="Move from Southside to Northside?")).to_be_visible()
    shot(desk, "join-move-consent-desktop")

    phone, phone_errors = logged_in(browser, live_server, maya, PHONE)
    phone.goto(link)
    expect(phone.get_by_text("Northside will see")).to_be_visible()
    expect(phone.get_by_text("Southside will stop seeing it")).to_be_visible()
    phone.get_by_role("button", name="Move to Northside").click()
    expect(phone.get_by_text("Tick the box to say you agree to move")).to_be_visible()
    shot(phone, "join-move-consent-phone-unticked")
    maya.refresh_from_db()
    assert maya.patient.clinic == southside

    phone.get_by_label("I agree: Northside sees my records from now on").check()
    phone.get_by_role("button", name="Move to Northside").click()
    expect(phone).to_have_url(f"{live_server.url}/today/")
    maya.refresh_from_db()
    assert maya.patient.clinic == northside
    assert AuditEvent.objects.filter(clinic=southside, patient=maya, action="change").exists()
    assert desk_errors == [] and phone_errors == []
