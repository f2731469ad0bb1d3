"""Closing the loop in real browsers: what a patient says after a session reaches the clinic,
the clinician answers, the patient's phone is notified, the patient reads the answer, and the
clinician marks the reason dealt with.

The push goes for real through the app's Web Push code to a push service we run on loopback,
which decrypts it with the subscription's own keys (tests/push_service.py). What cannot run
here: headless Chromium refuses to subscribe (``pushManager.subscribe`` rejects with
"AbortError: Registration failed - permission denied" even with notifications granted), and a
real browser's push service is not reachable without the internet. So the patient's page posts
a subscription whose keys the test holds to the same endpoint the settings page's script uses,
and the test reads the notification where the push service received it, not on a lock screen;
the service worker's "push" handler is not exercised.
"""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from backstretch.messaging.models import Message
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from tests.browser.pages import logged_in, shot
from tests.cast import cleared, make_patient
from tests.sessions import practise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

SILENT_SPEECH = """
(() => {
  const voice = { speaking: false, pending: false, paused: false, speak() {}, cancel() {},
    pause() {}, resume() {}, getVoices() { return []; }, addEventListener() {},
    removeEventListener() {} };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => voice });
  if (typeof window.SpeechSynthesisUtterance !== "function") {
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  }
})();
"""

SUBSCRIBE_FROM_PAGE = """async (subscription) => {
  const csrf = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)[1];
  const response = await fetch("/api/v1/me/push/subscriptions", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(subscription),
  });
  return response.status;
}"""


def test_a_note_and_a_this_hurts_reach_the_clinician_whose_reply_reaches_the_patients_phone(
    browser, live_server, bob, patient, push_service
):
    """The whole loop: session with a note and a "this hurts" -> Bob's dashboard puts Alice
    first, the thread holds both -> Bob replies -> a push reaches Alice's phone and she reads
    the reply -> Bob marks the reason dealt with and her row leaves the "call" group."""
    alice = cleared(patient)
    # Bob's caseload has a second patient, doing well, so "first" means something.
    calm = make_patient(
        "carl@example.org",
        "carl-password-1",
        "Carl Calm",
        clinic=bob.memberships.get().clinic,
        clinician=bob,
    )
    for days_ago in range(1, 6):
        practise(calm, days_ago=days_ago, pain_before=3, pain_after=2)
    total = compile_timeline(active_routine(alice).current.routine_items()).total_seconds
    phone, phone_errors = logged_in(browser, live_server, alice, PHONE)
    desk, desk_errors = logged_in(browser, live_server, bob, DESKTOP)

    # Alice: a session with a "this hurts" and a note.
    phone.add_init_script(SILENT_SPEECH)
    phone.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    phone.goto(f"{live_server.url}/today/play/")
    expect(phone.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    phone.locator('[data-pain-scale="before"] button[data-value="6"]').click()
    phone.clock.run_for(12_000)
    phone.get_by_role("button", name="This hurts").click()
    dialog = phone.get_by_role("dialog")
    dialog.get_by_label("A lot").check()
    dialog.get_by_label("No").check()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("button", name="Carry on as before").click()
    expect(dialog).to_be_hidden()
    phone.clock.run_for(total * 1000 + 60_000)
    expect(phone.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    phone.get_by_label("Anything your clinician should know? (optional)").fill(
        "Had to stop, my back really flared up"
    )
    phone.get_by_role("button", name="Save session").click()
    expect(phone.locator("#result-save")).to_have_text("Saved. Your clinician can see it.")

    # Bob: Alice is first among the people to call, for her "this hurts"; the dashboard counts
    # both entries as unread; the thread shows them as Alice's.
    desk.goto(f"{live_server.url}/clinic/")
    to_call = desk.locator(".patient-group--call .patient-row")
    expect(to_call.first.locator(".patient-row__name")).to_have_text("Alice")
    expect(to_call.first).to_contain_text("Reported “this hurts” (a lot)")
    expect(desk.locator(".patient-group--call")).not_to_contain_text("Carl Calm")
    unread = desk.get_by_role("region", name="Unread messages")
    expect(unread.get_by_role("link", name="Alice")).to_be_visible()
    expect(unread.locator(".unread-count")).to_have_text("2 unread")
    shot(desk, "messages-dashboard-desktop")
    unread.get_by_role("link", name="Alice").click()
    thread = desk.get_by_role("list", name="Messages")
    expect(thread.get_by_text("Had to stop, my back really flared up")).to_be_visible()
    expect(thread.get_by_text("This hurts (a lot) in")).to_be_visible()
    expect(thread.locator(".thread__new")).to_have_count(2)

    # Alice's phone is subscribed to notifications (see the module's note), then Bob answers.
    phone.goto(f"{live_server.url}/reminders/")
    expect(phone.get_by_role("heading", name="Notifications on this phone")).to_be_visible()
    assert phone.evaluate(SUBSCRIBE_FROM_PAGE, push_service.subscription("alice-phone")) == 201
    reply = "Sorry to hear it. Do the short version tomorrow and call me if it stays at 9."
    desk.get_by_label("Your message").fill(reply)
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_role("status")).to_contain_text("Sent.")
    expect(desk.get_by_text(reply)).to_be_visible()
    shot(desk, "messages-clinician-desktop")

    notification = push_service.wait_for(1)[0]
    assert notification.browser == "alice-phone"
    assert notification.payload["body"] == "You have a new message"
    assert "flared" not in str(notification.payload) and "9" not in str(notification.payload)

    # Alice reads the answer; the count in her menu clears.
    phone.goto(f"{live_server.url}/today/")
    menu_link = phone.get_by_role("link", name="Messages 1 unread")
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(phone.get_by_text(reply)).to_be_visible()
    expect(phone.locator(".thread__new")).to_have_count(1)
    shot(phone, "messages-patient-phone")
    phone.goto(f"{live_server.url}/today/")
    expect(phone.get_by_role("link", name="Messages", exact=True)).to_be_visible()
    assert Message.objects.filter(from_patient=True).count() == 2

    # Bob has answered: he marks the "this hurts" dealt with, and Alice's row clears.
    desk.goto(f"{live_server.url}/clinic/")
    row = desk.locator(".patient-group--call .patient-row", has_text="Alice")
    row.locator(".reason", has_text="this hurts").get_by_role("link").click()
    desk.get_by_label("Note (optional)").fill("Answered in messages: short version tomorrow.")
    desk.get_by_role("button", name="Mark as dealt with").click()
    expect(desk.locator(".people-message")).to_contain_text("Marked as dealt with")
    expect(desk.locator(".patient-group--call")).not_to_contain_text("Alice")
    shot(desk, "messages-dealt-with-desktop")

    for page in (phone, desk):
        page.context.close()
    assert phone_errors == [] and desk_errors == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_message_pages_fit_at_phone_and_desktop_size(
    browser, live_server, bob, patient, other_patient, size
):
    """Screenshots for review (artifacts/screens): the thread with a refused message, the
    dashboard's unread list, the notification settings, and a self-guided patient's page."""
    from backstretch.messaging.services import patient_thread, send

    viewport = PHONE if size == "phone" else DESKTOP
    thread = patient_thread(cleared(patient))
    send(thread, patient, "Is it fine to walk the dog before the stretches?")
    send(thread, bob, "Yes: a walk first warms you up.")
    send(thread, patient, "Thank you!")

    alice, _ = logged_in(browser, live_server, patient, viewport)
    alice.goto(f"{live_server.url}/messages/")
    # The text box takes at most 2,000 characters (the server refuses more, see
    # tests/messaging); spaces alone are refused with what to do instead.
    assert alice.get_by_label("Your message").get_attribute("maxlength") == "2000"
    alice.get_by_label("Your message").fill("   ")
    alice.get_by_role("button", name="Send").click()
    expect(alice.get_by_role("alert")).to_contain_text("The message is empty: write something")
    shot(alice, f"messages-refused-{size}")
    alice.goto(f"{live_server.url}/reminders/")
    shot(alice, f"messages-notifications-{size}")

    clinic, _ = logged_in(browser, live_server, bob, viewport)
    clinic.goto(f"{live_server.url}/clinic/")
    expect(clinic.get_by_role("region", name="Unread messages")).to_be_visible()
    shot(clinic, f"messages-dashboard-{size}")

    charlie, _ = logged_in(browser, live_server, cleared(other_patient), viewport)
    charlie.goto(f"{live_server.url}/messages/")
    expect(charlie.get_by_text("so there is no one here to message")).to_be_visible()
    expect(charlie.get_by_role("link", name="Messages")).to_have_count(0)  # not in his menu
    shot(charlie, f"messages-self-guided-{size}")
    for page in (alice, clinic, charlie):
        page.context.close()
