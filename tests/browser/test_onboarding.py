"""Sign-up to first routine on a phone: the red-flag screen blocks or opens the way."""

import pytest

from backstretch.accounts.models import User
from backstretch.library.services import sync_library
from backstretch.safety.redflags import QUESTIONS

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slow-morning-stretch"


@pytest.fixture
def synced_library(transactional_db):
    sync_library()  # live_server reads committed rows


def sign_up(page, base, email, position_label):
    page.goto(f"{base}/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_label(position_label).check()
    page.get_by_label("What time of day suits you?").fill("07:45")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/safety/check/")


def answer(page, yes=()):
    for number, question in enumerate(QUESTIONS, start=1):
        group = page.get_by_role("group", name=f"Question {number}:")
        group.get_by_label("Yes" if question.key in yes else "No", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()


def test_saddle_numbness_blocks_the_routine_with_emergency_guidance(
    page, live_server, synced_library
):
    base = live_server.url
    sign_up(page, base, "bea@example.org", "In bed — getting down to the floor is too much")
    assert page.get_by_role("radio", checked=True).count() == 0  # nothing chosen for them

    page.get_by_role("button", name="Send my answers").click()  # nothing answered yet
    assert page.get_by_role("alert").get_by_text("still need an answer").is_visible()

    answer(page, yes={"saddle_numbness"})
    page.wait_for_url("**/safety/check/result/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Get emergency care now"
    assert page.get_by_text("emergency department").first.is_visible()

    page.goto(f"{base}/today/")
    page.wait_for_url("**/safety/check/result/")  # still locked
    assert page.get_by_role("link", name="Start today’s routine").count() == 0
    assert User.objects.get(email="bea@example.org").patient.preferred_position == "bed"


def test_a_clear_screen_leads_to_the_bed_routine_and_its_start_button(
    browser, live_server, synced_library
):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, timezone_id="Europe/Madrid"
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/accounts/signup/")
        # The time zone starts from the browser's own.
        assert page.get_by_label("Your time zone").input_value() == "Europe/Madrid"
        sign_up(page, live_server.url, "cal@example.org", "In bed")
        answer(page)
        page.wait_for_url("**/today/")
        assert page.get_by_role("heading", level=1).inner_text() == "Starter routine, from bed"
        assert page.get_by_text("In bed · 10 s × 2").first.is_visible()
        start = page.get_by_role("link", name="Start today’s routine", exact=True)
        assert start.count() == 1
        assert start.get_attribute("href") == "/today/play/"
        box = start.bounding_box()
        assert box["height"] >= 56 and box["width"] >= PHONE["width"] * 0.8  # a big button
        assert page.locator(".routine-item__figure img").count() == 7
        user = User.objects.get(email="cal@example.org")
        assert user.time_zone == "Europe/Madrid"
    finally:
        context.close()
    assert errors == []
