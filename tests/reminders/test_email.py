"""Reminder e-mails through a real SMTP server on loopback: what arrives, when, and only once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from backstretch.accounts.models import User
from backstretch.reminders import services
from backstretch.reminders.models import ReminderSettings, SentReminder
from backstretch.reminders.services import send_due
from tests.cast import cleared, make_patient
from tests.sessions import practise

# Wednesday 25 November 2026 in London (GMT, so local time = UTC).
WEDNESDAY = date(2026, 11, 25)


def london(hour: int, minute: int = 0, day: date = WEDNESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def link_path(text: str, marker: str) -> str:
    url = next(word for word in text.split() if marker in word)
    assert url.startswith("https://stretch.example.org/")
    return urlparse(url).path


@pytest.mark.django_db
def test_the_reminder_arrives_at_the_chosen_time_with_the_routine_and_a_link(alice, smtp):
    practise(alice, day=date(2026, 11, 24))
    assert send_due(london(7, 29)).sent == 0
    assert send_due(london(7, 30)).sent == 1
    [message] = smtp.wait_for(1)
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Time for your stretches"
    text = smtp.text(message)
    assert "Hi Alice," in text
    assert "Daily four: about" in text and "minutes." in text
    assert "https://stretch.example.org/today/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'href="https://stretch.example.org/today/"' in html


@pytest.mark.django_db
def test_the_reminder_says_how_long_the_routine_takes_at_the_patients_pace(alice, smtp):
    def minutes_said(text: str) -> int:
        return int(text.split("Daily four: about ", 1)[1].split(" minutes", 1)[0])

    assert send_due(london(7, 30)).sent == 1
    usual = minutes_said(smtp.text(smtp.wait_for(1)[0]))
    alice.patient.pace = "slower"
    alice.patient.save(update_fields=["pace"])
    assert send_due(london(7, 30, day=date(2026, 11, 26))).sent == 1
    slower = minutes_said(smtp.text(smtp.wait_for(2)[1]))
    assert slower > usual


@pytest.mark.django_db
def test_after_a_missed_day_the_message_is_a_gentle_nudge_and_only_one_a_day(alice, smtp):
    practise(alice, day=date(2026, 11, 23))  # Monday done, Tuesday missed
    for minute in range(30, 60, 5):
        send_due(london(7, minute))
    send_due(london(12))
    send_due(london(23, 59))
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "A gentle nudge: your stretches are waiting"
    assert "Yesterday went by without your stretches" in smtp.text(message)
    assert SentReminder.objects.get().kind == "nudge"
    assert send_due(london(7, 30, date(2026, 11, 26))).sent == 1  # the next day: one more
    assert len(smtp.wait_for(2)) == 2


@pytest.mark.django_db
def test_nothing_is_sent_once_today_is_done(alice, smtp):
    practise(alice, day=WEDNESDAY)
    assert send_due(london(8)).sent == 0
    assert smtp.messages == []


@pytest.mark.django_db
def test_quiet_hours_hold_the_reminder_until_they_end(alice, smtp):
    ReminderSettings.objects.filter(patient=alice).update(
        time=time(6, 0), quiet_start=time(22, 0), quiet_end=time(7, 0)
    )
    practise(alice, day=date(2026, 11, 24))
    assert send_due(london(6, 0)).sent == 0
    assert send_due(london(6, 59)).sent == 0
    assert send_due(london(7, 0)).sent == 1
    assert len(smtp.wait_for(1)) == 1


@pytest.mark.django_db
def test_the_unsubscribe_link_works_without_logging_in(alice, smtp):
    send_due(london(8))
    [message] = smtp.wait_for(1)
    path = link_path(smtp.text(message), "/unsubscribe/")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert b"Stop reminder e-mails" in page.content
    assert ReminderSettings.objects.get(patient=alice).email_on  # a GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert b"No more reminder e-mails will go to alice@example.org" in done.content
    assert not ReminderSettings.objects.get(patient=alice).email_on
    assert ReminderSettings.objects.get(patient=alice).calendar_on
    assert send_due(london(8, 0, date(2026, 11, 26))).sent == 0


@pytest.mark.django_db
def test_one_click_unsubscribe_headers_follow_rfc_8058(alice, smtp):
    send_due(london(8))
    [message] = smtp.wait_for(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert url.startswith("https://stretch.example.org/reminders/unsubscribe/")
    response = Client(enforce_csrf_checks=True).post(
        urlparse(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not ReminderSettings.objects.get(patient=alice).email_on


@pytest.mark.django_db
def test_a_forged_or_altered_unsubscribe_link_is_a_404(alice, smtp):
    send_due(london(8))
    path = link_path(smtp.text(smtp.wait_for(1)[0]), "/unsubscribe/")
    forged = path.replace("/unsubscribe/", "/unsubscribe/x")
    assert Client().get(forged).status_code == 404
    assert Client().post(forged).status_code == 404
    assert ReminderSettings.objects.get(patient=alice).email_on


@pytest.mark.django_db
def test_a_refused_send_is_marked_failed_and_retried_on_the_next_run(alice, smtp, settings):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert send_due(london(8)).failed == 1
    assert SentReminder.objects.get().status == "failed"
    settings.EMAIL_PORT = good_port
    assert send_due(london(8, 1)).sent == 1
    row = SentReminder.objects.get()
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp.wait_for(1)) == 1


@pytest.mark.django_db
def test_the_command_reports_what_it_sent(alice, smtp, capsys):
    call_command("send-reminders", "--now", "2026-11-25T08:00+00:00")
    call_command("send-reminders", "--now", "2026-11-25T08:01+00:00")
    out = capsys.readouterr().out
    assert "sent 1, failed 0" in out and "sent 0, failed 0" in out
    assert len(smtp.wait_for(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(
    patient, other_patient, smtp, monkeypatch
):
    """Four patients, two copies of the sender started together, five rounds: four e-mails."""
    from backstretch.reminders.services import settings_for

    people = [patient, other_patient]
    for n in range(2):
        people.append(make_patient(f"p{n}@example.org", "pw-12345678", time_zone="UTC"))
    for user in people:
        cleared(user)  # may practise
        settings_for(user)
    User.objects.update(email_verified=True)  # each opened the link we mailed
    ReminderSettings.objects.update(
        time=time(7, 0), days=list(range(7)), first_day=WEDNESDAY, channels=["email"]
    )

    results = []
    errors = []

    def run(minute: int) -> None:
        from django.db import connection

        try:
            start.wait(timeout=120)
            results.append(send_due(london(8, minute)))
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    def together(minute: int) -> None:
        threads = [threading.Thread(target=run, args=(minute,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # First the worst case: both copies have decided that all four are due and reach the
    # claim of their batch at the same instant (a barrier in front of every claim).
    real_claim = services.claim_many
    at_claim = threading.Barrier(2)

    def claim_together(*args, **kwargs):
        at_claim.wait(timeout=120)
        return real_claim(*args, **kwargs)

    start = threading.Barrier(2)
    monkeypatch.setattr(services, "claim_many", claim_together)
    together(0)
    monkeypatch.setattr(services, "claim_many", real_claim)
    assert errors == []
    assert sum(r.sent for r in results) == 4 and sum(r.skipped for r in results) == 4
    # Then ordinary overlapping runs, as cron on two servers would start them.
    for minute in range(1, 5):
        together(minute)

    assert errors == []
    delivered = smtp.messages  # every send has returned: a duplicate would be here already
    assert sorted(m["To"] for m in delivered) == sorted(u.email for u in people)
    assert sum(r.sent for r in results) == 4 and len(delivered) == 4
    assert SentReminder.objects.filter(status="sent").count() == 4


@pytest.mark.django_db
def test_a_day_can_be_claimed_once_whatever_the_kind(alice):
    from backstretch.reminders.schedule import Kind
    from backstretch.reminders.services import claim

    assert claim(alice, Kind.DAILY, WEDNESDAY) is not None
    assert claim(alice, Kind.DAILY, WEDNESDAY) is None
    assert claim(alice, Kind.NUDGE, WEDNESDAY) is None
    assert SentReminder.objects.count() == 1


@pytest.mark.django_db
def test_no_email_until_the_patient_turns_it_on_but_demo_patients_have_it(other_patient, smtp):
    from backstretch.reminders.demo import give_demo_reminders
    from backstretch.reminders.services import settings_for

    cleared(other_patient)
    other_patient.email_verified = True  # as the demo's accounts are (core.demo)
    other_patient.save(update_fields=["email_verified"])
    ReminderSettings.objects.filter(pk=settings_for(other_patient).pk).update(first_day=WEDNESDAY)
    assert send_due(london(12)).sent == 0
    give_demo_reminders([other_patient.email])
    give_demo_reminders([other_patient.email])  # the demo may run twice
    assert send_due(london(12)).sent == 1
    assert ReminderSettings.objects.get().channels == ["email", "calendar"]


@pytest.mark.django_db
def test_no_reminder_e_mail_to_an_address_nobody_confirmed_until_its_link_is_opened(alice, smtp):
    """Anyone could sign up with someone else's address and tick e-mail: nothing goes to it
    until the link mailed to that address is opened."""
    practise(alice, day=date(2026, 11, 24))
    alice.email_verified = False
    alice.save(update_fields=["email_verified"])
    summary = send_due(london(7, 30))
    assert (summary.sent, summary.failed) == (0, 0)
    assert not SentReminder.objects.exists()  # nothing claimed: once confirmed, today's goes
    assert smtp.messages == []

    client = Client()
    client.force_login(alice)
    page = client.get("/reminders/").content.decode()
    assert "We send reminder e-mails only to an address its owner has confirmed" in page
    sent = client.post("/accounts/verify/send/", {"next": "/reminders/"}, follow=True)
    assert "We sent a new link to alice@example.org" in sent.content.decode()
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "alice@example.org"
    assert mail["Subject"] == "Confirm your e-mail address for Backstretch"
    opened = Client().get(link_path(smtp.text(mail), "/accounts/verify/"))
    assert "is confirmed" in opened.content.decode()
    assert "Confirm your address first" not in client.get("/reminders/").content.decode()

    assert send_due(london(7, 31)).sent == 1
    assert smtp.wait_for(2)[1]["Subject"] == "Time for your stretches"


@pytest.mark.django_db
def test_no_reminder_while_the_safety_questions_wait_or_without_a_routine(alice, smtp):
    from backstretch.routines.models import Routine
    from backstretch.safety.rescreen import ask_again

    practise(alice, day=date(2026, 11, 24))
    ask_again(alice, "sharp pain during the session")
    summary = send_due(london(7, 30))
    assert (summary.sent, summary.held) == (0, 1)
    assert not SentReminder.objects.exists()  # nothing claimed: answering later still gets one
    assert smtp.messages == []
    alice.rescreen_requests.all().delete()
    Routine.objects.filter(patient=alice).update(is_active=False)
    assert send_due(london(7, 35)).held == 1
