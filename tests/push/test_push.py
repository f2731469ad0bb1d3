"""Web Push, sent for real: the push service here runs on loopback (tests/push_service.py) and
decrypts each notification with the browser's own keys, so the encryption and the VAPID
signature are checked end to end. Only the browser is left out (the test holds its keys)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from backstretch.push.models import PushSubscription
from backstretch.reminders.models import SentReminder

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/api/v1/me/push/subscriptions"


def subscribe(client, user, subscription):
    client.force_login(user)
    response = client.post(SUBSCRIBE, subscription, content_type="application/json")
    assert response.status_code == 201, response.content
    return response


def test_a_reply_reaches_the_patients_phone_encrypted_and_without_health_details(
    client, bob, patient, push_service, django_capture_on_commit_callbacks
):
    subscribe(client, patient, push_service.subscription("alice-phone"))
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/clinic/patients/{patient.pk}/messages/", {"body": "Your back pain: rest."})
    delivery = push_service.wait_for(1)[0]
    assert delivery.browser == "alice-phone"
    assert delivery.payload == {
        "title": "Backstretch",
        "body": "You have a new message",
        "url": "/messages/",
        "tag": "messages",
    }
    assert delivery.vapid_subject.startswith("mailto:")


def test_the_patients_own_message_sends_no_push(
    client, bob, patient, push_service, django_capture_on_commit_callbacks
):
    subscribe(client, patient, push_service.subscription())
    with django_capture_on_commit_callbacks(execute=True) as sent:
        client.post("/messages/", {"body": "hello"})
    assert not sent
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        client.post(f"/clinic/patients/{patient.pk}/messages/", {"body": "hi"})
    assert len(sent) == 1 and len(push_service.wait_for(1)) == 1


def test_a_subscription_the_push_service_says_is_gone_is_forgotten(
    client, bob, patient, push_service, django_capture_on_commit_callbacks
):
    subscribe(client, patient, push_service.subscription("old-phone"))
    push_service.gone.add("old-phone")
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/clinic/patients/{patient.pk}/messages/", {"body": "hi"})
    assert not PushSubscription.objects.exists()


def test_a_subscription_elsewhere_than_a_push_service_is_refused(client, patient, settings):
    settings.BACKSTRETCH_PUSH_ALLOW_LOOPBACK = False
    client.force_login(patient)
    for endpoint in ("http://push.example.org/x", "https://127.0.0.1/x", "https://10.0.0.2/x"):
        body = {"endpoint": endpoint, "keys": {"p256dh": "A" * 87, "auth": "B" * 22}}
        response = client.post(SUBSCRIBE, body, content_type="application/json")
        assert response.status_code == 422
        assert "https address of a browser's push service" in response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_no_notification_goes_to_a_name_that_now_leads_into_a_private_network(
    client, bob, patient, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Name lookups are replaced here (this machine has no outside DNS): the subscription's
    host name answered with a public address when Alice subscribed, a private one since."""
    settings.BACKSTRETCH_PUSH_ALLOW_LOOPBACK = False
    answers = {"push.example.org": "203.0.113.9"}

    def lookup(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    endpoint = "https://push.example.org/alice"
    body = {"endpoint": endpoint, "keys": {"p256dh": "A" * 87, "auth": "B" * 22}}
    subscribe(client, patient, body)
    answers["push.example.org"] = "10.1.2.3"
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/clinic/patients/{patient.pk}/messages/", {"body": "hi"})
    assert "leads into a private network" in caplog.text
    assert PushSubscription.objects.get().last_sent_at is None


def test_the_daily_reminder_comes_as_a_push_and_email_stays_the_fallback(
    client, patient, push_service, smtp
):
    from datetime import date, time

    from backstretch.reminders.services import send_due, settings_for
    from tests.cast import cleared

    cleared(patient)
    reminders = settings_for(patient)
    reminders.time = time(7, 30)
    reminders.days = list(range(7))
    reminders.channels = ["email"]
    reminders.first_day = date(2026, 11, 17)
    reminders.save()
    subscribe(client, patient, push_service.subscription())
    assert send_due(datetime(2026, 11, 17, 8, 0, tzinfo=UTC)).sent == 1
    delivery = push_service.wait_for(1)[0]
    assert delivery.payload["body"] == "Time for your stretches"
    assert delivery.payload["url"] == "/today/"
    assert not smtp.messages
    push_service.gone.add("phone")  # the phone unsubscribed: the next day goes by e-mail
    assert send_due(datetime(2026, 11, 18, 8, 0, tzinfo=UTC)).sent == 1
    assert len(smtp.wait_for(1)) == 1
    assert SentReminder.objects.filter(status="sent").count() == 2
