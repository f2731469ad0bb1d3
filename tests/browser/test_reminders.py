"""Reminders end to end: a patient subscribes to the calendar feed, misses a day, gets the
nudge through a real loopback SMTP server, follows it, does the bad-day version, and the week
counts it. Plus screenshots of the settings page for review (artifacts/screens)."""

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from backstretch.practice.models import PracticeSession
from backstretch.reminders.models import ReminderSettings
from backstretch.reminders.services import send_due, settings_for
from backstretch.safety.models import RedFlagScreen
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

from .test_player import SPEECH_RECORDER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A self-guided patient is told truthfully that no clinician reads their session.
SAVED_ALONE = (
    "Saved. You use Backstretch without a clinic, so your session and note stay with you: "
    "nobody else reads them."
)

SCREENS = Path("artifacts/screens")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def alice(patient):
    """Alice has had reminders (every day, at midnight: due whenever the test runs) since the
    day before yesterday, and did nothing yesterday. She lives where it is about noon now, so
    her day cannot roll over while a test runs (CI once ran this at 23:58 UTC): the browser
    tests' ``patient`` lives in ``noon_zone()``."""
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    reminders = settings_for(patient)
    reminders.time = time(0, 0)
    reminders.days = list(range(7))
    reminders.channels = ["email", "calendar"]
    reminders.first_day = patient.today() - timedelta(days=2)
    reminders.save()
    return patient


def log_in(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_subscribe_miss_a_day_get_the_nudge_do_the_bad_day_version_and_it_counts(
    page, live_server, client, alice, smtp, settings
):
    settings.BACKSTRETCH_BASE_URL = live_server.url
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Reminders", exact=True)).to_be_visible()

    # Subscribe: the link on the page is a working calendar feed, without any log-in.
    feed_url = page.get_by_label("Private calendar link").input_value()
    assert feed_url.startswith(f"{live_server.url}/reminders/feed/")
    feed = page.context.request.get(feed_url, headers={"Cookie": ""})
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Stretches: Daily four"
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert str(event["URL"]) == f"{live_server.url}/today/"

    # Yesterday was missed: the sender (as cron would run it) sends the nudge, once.
    assert send_due().sent == 1
    assert send_due(datetime.now(UTC) + timedelta(minutes=1)).sent == 0
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "A gentle nudge: your stretches are waiting"
    text = smtp.text(message)
    assert "Yesterday went by without your stretches" in text
    today_link = next(word for word in text.split() if word.endswith("/today/"))
    assert today_link == f"{live_server.url}/today/"

    # Follow the e-mail's link and do the bad-day short version on a fast clock.
    page.add_init_script(SPEECH_RECORDER)
    # A few minutes back, so the played session ends by now, but never before Alice's midnight
    # (it must land on today in her zone whenever the suite runs).
    now = datetime.now(UTC)
    midnight = datetime.combine(alice.today(), time(0, 0, 1), tzinfo=ZoneInfo(alice.time_zone))
    page.clock.install(time=max(now - timedelta(minutes=5), midnight))
    page.goto(today_link)
    expect(page.locator(".streak").first).to_contain_text("Aim for 5 days this week")
    page.get_by_role("link", name="Bad day? Short version").click()
    expect(page.get_by_text("short version for a bad day")).to_be_visible()
    timeline = page.evaluate(
        "() => JSON.parse(document.getElementById('player-timeline').textContent)"
    )
    page.get_by_role("button", name="Skip and start").click()
    page.clock.run_for(timeline["total_seconds"] * 1000 + 1000)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#result-save")).to_have_text(SAVED_ALONE)
    session = PracticeSession.objects.get()
    assert session.variant == "bad_day" and session.completed

    # The weekly target counts it, and no further reminder comes today.
    page.goto(f"{live_server.url}/today/")
    expect(page.locator(".streak").first).to_contain_text("1 of 5 days this week")
    assert send_due(datetime.now(UTC) + timedelta(minutes=2)).sent == 0
    assert len(smtp.messages) == 1  # the send returned: a second message would be here


def test_copy_and_revoke_the_calendar_link(page, live_server, client, alice, settings):
    settings.BACKSTRETCH_BASE_URL = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/reminders/")
    old = page.get_by_label("Private calendar link").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#feed-copied")).to_have_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == old
    page.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The old calendar link no longer works"
    )
    new = page.get_by_label("Private calendar link").input_value()
    assert new != old
    assert page.context.request.get(old).status == 404
    assert page.context.request.get(new).status == 200


def test_a_bad_time_is_named_and_the_rest_of_the_form_is_kept(page, live_server, client, alice):
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/reminders/")
    page.get_by_label("Saturday").uncheck()
    page.get_by_label("Quiet hours from").fill("22:00")
    page.get_by_role("button", name="Save reminders").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Quiet hours until: Enter when quiet hours end")
    expect(page.get_by_label("Saturday")).not_to_be_checked()
    expect(page.get_by_label("Sunday")).to_be_checked()
    expect(page.get_by_label("Quiet hours from")).to_have_value("22:00")
    assert ReminderSettings.objects.get(patient=alice).days == list(range(7))


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_settings_page(browser, live_server, client, alice, size):
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=1)
    page = context.new_page()
    log_in(page, live_server, client, alice)
    page.goto(f"{live_server.url}/reminders/")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"reminders-{size}.png"), full_page=True)
    # Nothing sticks out sideways at either size.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SIZES[size]["width"]
    context.close()


def test_the_unsubscribe_link_in_the_email_works_in_a_browser_without_logging_in(
    page, live_server, alice, smtp, settings
):
    settings.BACKSTRETCH_BASE_URL = live_server.url
    assert send_due().sent == 1
    text = smtp.text(smtp.wait_for(1)[0])
    link = next(word for word in text.split() if "/unsubscribe/" in word)
    page.goto(link)
    expect(page.get_by_role("heading", name="Stop reminder e-mails?")).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "reminders-unsubscribe-phone.png"), full_page=True)
    page.get_by_role("button", name="Stop reminder e-mails").click()
    expect(page.get_by_role("heading", name="Reminder e-mails stopped")).to_be_visible()
    assert not ReminderSettings.objects.get(patient=alice).email_on
    html = smtp.wait_for(1)[0].get_body(preferencelist=("html",)).get_content()
    page.goto("about:blank")  # shown as a mail client would, not under the site's policy
    page.set_content(html)
    page.screenshot(path=str(SCREENS / "reminders-email-phone.png"), full_page=True)
