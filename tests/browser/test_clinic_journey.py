"""The clinic's whole loop in a real browser, end to end:

Bob (clinician) invites Nina → Nina joins from the link (no red-flag gate: Bob screened her)
→ Bob builds her routine from bed with a note → Nina sees the bed positions and the note,
plays the session (fast clock) and says "this hurts" once → Bob's dashboard shows Nina on top
with that reason.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from backstretch.accounts.models import User
from backstretch.clinic.models import Clinic
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from tests.browser.pages import log_in_with_password
from tests.browser.test_player import SPEECH_RECORDER
from tests.cast import make_patient, make_staff
from tests.clock import noon_zone
from tests.sessions import practise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "Keep both shoulders resting on the bed."
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def back_care(library):
    """A clinic of its own (Bob's dashboard must show only Nina and Olly, not the cast's Alice)."""
    clinic = Clinic.objects.create(name="Northside Back Care")
    bob = make_staff(clinic, "bob@example.org", "bob-password-1", "Bob Baker")
    # Olly practises every day with pain going down: he is on track, below Nina.
    olly = make_patient(
        "olly@example.org", "olly-password-1", "Olly Owen", clinic=clinic, clinician=bob
    )
    holds = [{"index": n, "result": "done"} for n in range(45)]
    for days_ago in range(1, 8):
        practise(olly, days_ago=days_ago, pain_before=4, pain_after=3, steps=holds)
    return clinic, bob


def log_in(page, base, email, password):
    log_in_with_password(page, base, email, password)


def test_invite_prescribe_practise_and_flag(browser, live_server, back_care):
    base = live_server.url
    clinician = browser.new_context(viewport=DESKTOP)
    bob = clinician.new_page()
    log_in(bob, base, "bob@example.org", "bob-password-1")

    # 1. Bob invites Nina and copies the link.
    bob.goto(base + reverse("clinic:invitations"))
    bob.fill("input[name=email]", "nina@example.org")
    bob.fill("input[name=name]", "Nina Novak")
    bob.get_by_role("button", name="Create invitation link").click()
    link = bob.locator(".copy-link__input").first.input_value()
    assert "/invite/" in link

    # 2. Nina opens it on her phone and creates her account: no red-flag gate.
    # Her phone is where it is about noon (its zone fills in the form): the session she plays
    # on a clock set an hour back lands on her today at whatever hour the suite runs.
    zone = noon_zone()
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, timezone_id=zone
    )
    nina_page = phone.new_page()
    nina_page.goto(link)
    expect(nina_page.get_by_text("Northside Back Care").first).to_be_visible()
    nina_page.fill("input[name=password]", "nina-password-1")
    nina_page.fill("input[name=password_again]", "nina-password-1")
    nina_page.get_by_role("button", name="Create my account and join").click()
    nina_page.wait_for_url(f"{base}/today/")
    nina = User.objects.get(email="nina@example.org")
    assert nina.time_zone == zone
    assert nina.patient.clinic.name == "Northside Back Care"
    assert nina.patient.clinician.email == "bob@example.org"

    # 3. Bob builds her routine: the rotation stretch and child's pose, everything from bed,
    #    with a note on the first exercise.
    bob.goto(base + reverse("clinic:routine", args=[nina.pk]))
    bob.locator("button[value='add:rotation-stretch']").click()
    bob.wait_for_selector(
        "input[name='item-0-exercise'][value='rotation-stretch']", state="attached"
    )
    bob.locator("button[value='add:childs-pose']").click()
    bob.wait_for_selector("input[name='item-1-exercise'][value='childs-pose']", state="attached")
    bob.get_by_role("button", name="Everything from bed").click()
    # The item list comes back from the server with both exercises in bed.
    expect(bob.locator("select[name='item-0-position']")).to_have_value("bed")
    expect(bob.locator("select[name='item-1-position']")).to_have_value("bed")
    bob.fill("textarea[name='item-0-note']", NOTE)
    bob.get_by_role("button", name="Save new version").click()
    bob.get_by_text("Saved version 1").wait_for()
    version = active_routine(nina).current
    assert [(i["exercise"], i["position"]) for i in version.items] == [
        ("rotation-stretch", "bed"),
        ("childs-pose", "bed"),
    ]

    # 4. Nina sees the bed positions and Bob's note on Today.
    nina_page.goto(f"{base}/today/")
    today = nina_page.locator("main")
    expect(today.get_by_text(NOTE)).to_be_visible()
    expect(today.get_by_text("In bed").first).to_be_visible()

    # 5. She plays it with a fast clock and reports "this hurts" once, a little, and carries on.
    timeline = compile_timeline(version.routine_items()).to_json()
    nina_page.add_init_script(SPEECH_RECORDER)
    # Her phone's fast clock starts an hour back (a session run in seconds must not end in
    # the future); a session must start after its version was saved, so Bob saved it earlier.
    RoutineVersion.objects.filter(pk=version.pk).update(
        created_at=datetime.now(UTC) - timedelta(hours=2)
    )
    nina_page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    nina_page.goto(f"{base}/today/play/")
    nina_page.locator('[data-pain-scale="before"] button[data-value="3"]').click()
    expect(nina_page.locator("#play-figure")).to_have_attribute(
        "data-figure", "rotation-stretch:bed"
    )
    expect(nina_page.locator("#play-cue, #screen-play").first).to_contain_text(NOTE)
    into_first_hold = sum(step["seconds"] for step in timeline["steps"][:2]) * 1000 + 500
    nina_page.clock.run_for(into_first_hold)  # the introduction, the move-in, then the hold
    nina_page.get_by_role("button", name="This hurts").click()
    dialog = nina_page.get_by_role("dialog")
    dialog.get_by_label("A little").check()
    dialog.get_by_label("No").check()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("button", name="Carry on as before").click()
    nina_page.clock.run_for(timeline["total_seconds"] * 1000 + 1000)
    nina_page.locator('[data-pain-scale="after"] button[data-value="4"]').click()
    nina_page.get_by_role("button", name="Save session").click()
    expect(nina_page.locator("#result-save")).to_have_text("Saved. Your clinician can see it.")
    session = PracticeSession.objects.get(patient=nina)
    assert session.routine_version == version
    assert session.hurts == 1
    assert HurtReport.objects.get(patient=nina).action == "continue"

    # 6. Bob's dashboard: Nina on top, with the reason.
    bob.goto(base + reverse("clinic:dashboard"))
    first = bob.locator(".patient-row").first
    expect(first.locator(".patient-row__name")).to_have_text("Nina Novak")
    expect(first.locator(".patient-row__why")).to_contain_text("this hurts")
    expect(bob.locator(".patient-row").nth(1).locator(".patient-row__name")).to_have_text(
        "Olly Owen"
    )
    phone.close()
    clinician.close()
