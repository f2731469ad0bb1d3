"""Browser helpers the page tests share: a person logged in in a context of their own, and a
full-page screenshot that fails when the page scrolls sideways."""

from pathlib import Path

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cast import next_code

SCREENS = Path("artifacts/screens")


def logged_in(browser, live_server, user, viewport, **options):
    """A page of ``user``'s own browser context (made with ``options``), logged in, and the
    list its script errors land in."""
    context = browser.new_context(viewport=viewport, **options)
    client = Client()  # one per person: a second log-in on one client ends the first session
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"{name}.png", full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: page scrolls sideways"


def log_in_with_password(page, base, email, password):
    """Through the log-in page, as a person does; someone with an authenticator app (the cast's
    staff, tests/cast.py) then types the code it shows."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()
    if "/accounts/two-step/" in page.url:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.get_by_label("Code").fill(next_code(device))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/two-step/" not in url)
        page.wait_for_load_state()
