"""Today's habit support in a real browser: the weekly check-in asked and skipped or answered,
the bad-day short version played on a fast clock and counted, and screenshots for review."""

from datetime import time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.outcomes.models import PegCheckin
from backstretch.practice.models import PracticeSession
from backstretch.routines.services import active_routine
from backstretch.safety.models import RedFlagScreen
from tests.sessions import practise

from .test_player import SPEECH_RECORDER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A self-guided patient is told truthfully that no clinician reads their session.
SAVED_ALONE = (
    "Saved. You use Backstretch without a clinic, so your session and note stay with you: "
    "nobody else reads them."
)

SCREENS = Path("artifacts/screens")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
PEG_QUESTION = "Over the past week, how bad was your pain on average?"


@pytest.fixture
def alice(patient):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    return patient


def log_in(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_weekly_check_in_is_asked_when_due_and_skipping_puts_it_off(
    page, live_server, client, alice
):
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/today/")
    card = page.get_by_role("region", name="Your weekly check-in")
    expect(card).to_be_visible()
    expect(card.get_by_role("group", name=PEG_QUESTION)).to_be_visible()
    card.get_by_role("button", name="Skip this week").click()
    expect(page.get_by_role("heading", name="Daily four")).to_be_visible()
    expect(page.get_by_role("region", name="Your weekly check-in")).to_have_count(0)
    assert PegCheckin.objects.get(patient=alice).skipped


def test_answering_the_check_in_by_tapping_numbers(page, live_server, client, alice):
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/today/")
    card = page.get_by_role("region", name="Your weekly check-in")
    for question, value in ((PEG_QUESTION, "6"), ("enjoying life", "4"), ("everyday", "3")):
        group = card.get_by_role("group", name=question)
        group.locator("label").filter(has_text=value).first.click()
    card.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly check-in saved (score 4.3 of 10)")
    checkin = PegCheckin.objects.get(patient=alice)
    assert (checkin.pain, checkin.enjoyment, checkin.activity) == (6, 4, 3)


def test_the_bad_day_version_plays_a_short_routine_and_counts_toward_the_week(
    frozen_now, page, live_server, client, alice
):
    log_in(page, live_server, client, alice)
    page.add_init_script(SPEECH_RECORDER)
    # The phone's clock an hour before the server's stopped noon: the session lands on that
    # Wednesday in Alice's zone, whatever the hour the suite runs at.
    page.clock.install(time=frozen_now - timedelta(hours=1))
    page.goto(f"{live_server.url}/today/")
    expect(page.locator(".streak").first).to_contain_text("Aim for 5 days this week")
    page.get_by_role("link", name="Bad day? Short version").click()
    expect(page.get_by_text("short version for a bad day")).to_be_visible()
    timeline = page.evaluate(
        "() => JSON.parse(document.getElementById('player-timeline').textContent)"
    )
    assert 120 <= timeline["total_seconds"] <= 180
    page.get_by_role("button", name="Skip and start").click()
    page.clock.run_for(timeline["total_seconds"] * 1000 + 1000)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#result-save")).to_have_text(SAVED_ALONE)
    session = PracticeSession.objects.get()
    assert session.variant == "bad_day" and session.completed
    assert session.routine_version == active_routine(alice).current
    page.goto(f"{live_server.url}/today/")
    expect(page.locator(".streak").first).to_contain_text("1 of 5 days this week")
    page.goto(f"{live_server.url}/history/")
    expect(page.locator(".short-label")).to_have_text("short version")


def history_for_screens(user):
    today = user.today()
    for week in range(6):
        day = today - timedelta(weeks=6 - week, days=-1)
        PegCheckin.objects.create(
            patient=user,
            local_date=day,
            pain=7 - week // 2,
            enjoyment=6 - week // 2,
            activity=6 - week,
            skipped=week == 3,
        ) if week != 3 else PegCheckin.objects.create(patient=user, local_date=day, skipped=True)
    for offset in range(2, 30, 2):
        bad_day = offset % 6 == 0
        practise(
            user,
            days_ago=offset,
            at=time(8),
            minutes=3 if bad_day else 11,
            pain_before=5,
            pain_after=3,
            variant="bad_day" if bad_day else "full",
        )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screens_fit_at_phone_and_desktop_size(browser, live_server, client, alice, size):
    """Screenshots for review (artifacts/screens): Today with the check-in, tip and bad-day
    button; History with the check-in chart."""
    history_for_screens(alice)
    PegCheckin.objects.filter(patient=alice).order_by("-local_date").first().delete()
    viewport = SIZES[size]
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    SCREENS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, live_server, client, alice)
        page.goto(f"{live_server.url}/today/")
        expect(page.get_by_role("region", name="Your weekly check-in")).to_be_visible()
        expect(page.locator(".tip")).to_be_visible()
        page.screenshot(path=SCREENS / f"habits-{size}-today.png", full_page=True)
        for label in page.locator(".peg__value").all()[:11]:
            box = label.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 44
        page.goto(f"{live_server.url}/history/")
        expect(page.locator("svg[aria-labelledby='history-peg-title'] circle")).to_have_count(4)
        page.screenshot(path=SCREENS / f"habits-{size}-history.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], "history scrolls sideways"
    finally:
        context.close()
