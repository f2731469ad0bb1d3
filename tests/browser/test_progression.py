"""In the browser: the clinician accepts a step down, the patient reads why on today."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backstretch.outcomes.models import ProgressionSettings
from backstretch.routines.services import active_routine
from tests.sessions import hurt_report, practise

from .test_clinic_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bob_accepts_a_step_down_and_alice_sees_the_reason_until_ok(
    page,
    live_server,
    patient,
    bob,
):
    ProgressionSettings.objects.create(routine=active_routine(patient), mode="propose")
    practise(
        patient,
        pain_before=3,
        pain_after=4,
        hurt_reports=[hurt_report("childs-pose", "lot", step_index=3)],
        completed=False,
    )

    base = live_server.url
    log_in(page, base, "bob@example.org", "bob-password-1")
    page.goto(f"{base}/clinic/patients/{patient.pk}/")
    panel = page.locator("#progression")
    expect(panel.get_by_text("Step down proposed")).to_be_visible()
    expect(panel).to_contain_text("Child's pose moves from the floor to the bed.")
    panel.get_by_role("button", name="Accept: save a new version").click()
    expect(panel).to_contain_text("Saved as a new version")
    expect(panel).to_contain_text("(version 2)")
    assert active_routine(patient).current.items[1]["position"] == "bed"

    page.context.clear_cookies()
    log_in(page, base, patient.email, "alice-password-1")
    page.goto(f"{base}/today/")
    notice = page.get_by_role("status").filter(has_text="Your routine changed")
    expect(notice).to_contain_text("“This hurts: a lot” during Child's pose")
    expect(notice).to_contain_text("Changed by your clinician")
    notice.get_by_role("button", name="OK, got it").click()
    expect(page.get_by_text("Your routine changed")).to_have_count(0)
