"""A forgotten password, end to end in Chromium: ask for a link, receive it through a real
loopback SMTP server, open it, choose a new password, log in with it; the old one fails.
Plus screenshots of the sign-in pages for review (artifacts/screens)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.reminders.services import settings_for
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("artifacts/screens")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
NEW_PASSWORD = "evening-walk-twice"


def log_in(page, base, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("alice@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_forgotten_password_is_replaced_through_the_mailed_link(
    page, live_server, patient, smtp, settings
):
    settings.BACKSTRETCH_BASE_URL = live_server.url
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Your e-mail address").fill("Alice@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.org"
    link = next(word for word in smtp.text(message).split() if "/password/reset/" in word)
    assert link.startswith(f"{base}/accounts/password/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="New password saved")).to_be_visible()

    log_in(page, base, "alice-password-1")
    expect(page.get_by_text("do not match an account")).to_be_visible()
    log_in(page, base, NEW_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(link)  # a used link is done with
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_sign_in_pages(browser, live_server, patient, smtp, settings, size):
    """For review, not for assertions beyond each page showing its heading."""
    settings.BACKSTRETCH_BASE_URL = live_server.url
    base = live_server.url
    SCREENS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()

    def shot(name, heading):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.screenshot(path=SCREENS / f"signin-{name}-{size}.png", full_page=True)

    page.goto(f"{base}/accounts/password/forgotten/")
    shot("reset-request", "Forgotten your password?")
    page.get_by_label("Your e-mail address").fill("alice@example.org")
    page.get_by_role("button", name="Send me a link").click()
    shot("reset-sent", "Check your e-mail")
    [message] = smtp.wait_for(1)
    text = smtp.text(message)
    # The e-mail on a blank page of its own: written into the app's page, its inline styles
    # would break the app's Content-Security-Policy.
    mail = context.new_page()
    mail.set_content(
        f"<html><body style='font:16px/1.5 sans-serif;margin:1.5rem'><p><b>Subject:</b> "
        f"{message['Subject']}</p><pre style='white-space:pre-wrap;overflow-wrap:anywhere'>"
        f"{text}</pre></body></html>"
    )
    mail.screenshot(path=SCREENS / f"signin-reset-email-{size}.png", full_page=True)
    mail.close()
    link = next(word for word in text.split() if "/password/reset/" in word)
    page.goto(link)
    shot("reset-confirm", "Choose a new password")
    page.get_by_role("button", name="Save my new password").click()
    shot("reset-confirm-errors", "Choose a new password")

    for attempt in range(5):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("E-mail address").fill("alice@example.org")
        page.get_by_label("Password").fill(f"guess-{attempt}")
        page.get_by_role("button", name="Log in").click()
    shot("locked-out", "Too many tries")

    patient.email_verified = False
    patient.save(update_fields=["email_verified"])
    from tests.cast import cleared

    cleared(patient)
    settings_for(patient)
    from django.test import Client

    client = Client()
    client.force_login(patient)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page.goto(f"{base}/accounts/password/")
    shot("password-change", "Change your password")
    page.goto(f"{base}/accounts/profile/")
    shot("profile", "Your profile")
    page.goto(f"{base}/reminders/")
    shot("reminders-confirm", "Reminders")
    context.close()
