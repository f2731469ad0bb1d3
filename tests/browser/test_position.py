"""Alice changes where she does her routine on her profile page, and Today follows it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.routines.services import active_routine
from tests.cast import cleared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("artifacts/screens")


def log_in(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_choosing_a_chair_on_the_profile_gives_today_a_chair_routine(
    browser, live_server, client, patient, size
):
    viewport = {"width": 390, "height": 844} if size == "phone" else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    SCREENS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, live_server, client, cleared(patient))
        page.goto(f"{live_server.url}/accounts/profile/")
        where = page.get_by_role("group", name="Where do you do your routine?")
        expect(where.get_by_label("On the floor")).to_be_checked()
        expect(page.get_by_text("Your routine follows your answer")).to_be_visible()
        where.get_by_label("On a chair").check()
        page.screenshot(path=SCREENS / f"profile-where-{size}.png", full_page=True)
        page.get_by_role("button", name="Save where I do it").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Saved. You chose to do your routine on a chair"
        )
        expect(
            page.get_by_role("group", name="Where do you do your routine?").get_by_label(
                "On a chair"
            )
        ).to_be_checked()

        page.goto(f"{live_server.url}/today/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Starter routine, on a chair")
        expect(page.get_by_text("Have ready:")).to_be_visible()
        expect(page.locator(".today__needs")).to_contain_text("a steady chair")
        expect(page.get_by_text("Kneel")).to_have_count(0)
        page.screenshot(path=SCREENS / f"today-chair-{size}.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], "Today scrolls sideways"
        assert active_routine(patient).template_slug == "starter-chair"
    finally:
        context.close()
    assert errors == []
