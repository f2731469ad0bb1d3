"""Signing in as clinic staff (password, then a code from the app) and as a patient by an
e-mailed link, in Chromium. The codes are computed in the test from the device's secret, with
django-otp's own TOTP arithmetic; the link arrives through a real loopback SMTP server.
Screenshots of the set-up and code pages land in artifacts/screens for review."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from backstretch.accounts import twofactor
from tests.browser.pages import shot
from tests.cast import cleared, code_now
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def password_login(page, base, email, password):
    page.goto(f"{base}/clinic/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_clinician_sets_up_the_app_then_signs_in_with_a_code(browser, live_server, bob):
    TOTPDevice.objects.filter(user=bob).delete()  # Bob has not set up an app yet
    base = live_server.url
    context = browser.new_context(viewport=SIZES["desktop"])
    page = context.new_page()

    password_login(page, base, "bob@example.org", "bob-password-1")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.locator(".twofactor-qr svg title")).to_have_text(
        "QR code to scan with your authenticator app"
    )
    secret = page.get_by_test_id("totp-secret").inner_text()
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert secret == twofactor.secret_of(device)

    page.get_by_label("Code").fill("000000" if code_now(device) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("#id_code_error")).to_contain_text("That code does not match")
    page.get_by_label("Code").fill(code_now(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them: go on").click()
    page.wait_for_url(f"{base}/clinic/")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()

    # Next day, another browser: the password, then the app's next code.
    context.close()
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    password_login(page, base, "bob@example.org", "bob-password-1")
    expect(page.get_by_role("heading", name="Type your code")).to_be_visible()
    device.refresh_from_db()
    page.get_by_label("Code").fill(code_now(device, 1))
    page.get_by_role("button", name="Go on").click()
    page.wait_for_url(f"{base}/clinic/")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    context.close()


def test_a_patient_signs_in_by_the_mailed_link(page, live_server, patient, smtp, settings):
    settings.BACKSTRETCH_BASE_URL = live_server.url
    cleared(patient)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="E-mail me a sign-in link").click()
    page.get_by_label("Your e-mail address").fill("alice@example.org")
    page.get_by_role("button", name="E-mail me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    [message] = smtp.wait_for(1)
    link = next(word for word in smtp.text(message).split() if "/accounts/link/" in word)
    assert link.startswith(f"{base}/accounts/link/")
    page.goto(link)
    page.get_by_role("button", name="Log me in").click()
    page.wait_for_url(f"{base}/today/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(link)  # once only
    expect(page.get_by_text("This link was used already")).to_be_visible()
    expect(page.get_by_role("link", name="Send me a new link")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_two_step_pages(browser, live_server, bob, size):
    """For review: the set-up page, the code page (with a wrong code's message) and the
    recovery codes, at a phone's and a desktop's size."""
    TOTPDevice.objects.filter(user=bob).delete()
    base = live_server.url
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    password_login(page, base, "bob@example.org", "bob-password-1")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    shot(page, f"twofactor-setup-{size}")
    device = TOTPDevice.objects.get(user=bob)
    page.get_by_label("Code").fill(code_now(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    shot(page, f"twofactor-recovery-codes-{size}")
    context.close()

    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    password_login(page, base, "bob@example.org", "bob-password-1")
    expect(page.get_by_role("heading", name="Type your code")).to_be_visible()
    shot(page, f"twofactor-code-{size}")
    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Go on").click()
    expect(page.locator("#id_code_error")).to_contain_text("That code does not match")
    shot(page, f"twofactor-code-wrong-{size}")
    context.close()
