"""The reminder settings page and GET/PUT /api/v1/me/reminders."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from backstretch.reminders.models import ReminderSettings

pytestmark = pytest.mark.django_db

GOOD = {
    "time": "18:15",
    "days": ["0", "2", "4"],
    "channels": ["email", "calendar"],
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "lead_minutes": "0",
}


@pytest.fixture
def client_of(alice):
    client = Client()
    client.force_login(alice)
    return client


def test_the_page_starts_from_the_profile_time_and_the_routine_days(patient, django_user_model):
    from backstretch.safety.models import RedFlagScreen

    patient.patient.daily_time = time(6, 45)
    patient.patient.save()
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    client = Client()
    client.force_login(patient)
    page = client.get("/reminders/").content.decode()
    assert 'value="06:45"' in page
    assert page.count('name="days"') == 7
    assert 'value="calendar" id="id_channels_1" checked' in page
    assert 'value="email" id="id_channels_0">' in page  # e-mail is opt-in
    assert "Your own local time (Europe/London)." in page
    assert "/reminders/feed/" in page


def test_saving_changes_the_reminders_and_the_profile_daily_time(alice, client_of):
    response = client_of.post("/reminders/", GOOD)
    assert response.status_code == 302
    reminders = ReminderSettings.objects.get(patient=alice)
    assert reminders.time == time(18, 15) and reminders.days == [0, 2, 4]
    assert (reminders.quiet_start, reminders.quiet_end) == (time(22), time(7))
    alice.patient.refresh_from_db()
    assert alice.patient.daily_time == time(18, 15)
    assert b"Saved. Your reminders follow the new settings." in client_of.get("/reminders/").content


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time": "25:99"}, "Reminder time", "Enter a time as hours and minutes"),
        ({"time": ""}, "Reminder time", "Enter a time, for example 07:30."),
        ({"days": []}, "Days", "Pick at least one day."),
        ({"quiet_end": ""}, "Quiet hours until", "Enter when quiet hours end"),
        ({"quiet_start": ""}, "Quiet hours from", "Enter when quiet hours start"),
        (
            {"quiet_end": "22:00"},
            "Quiet hours until",
            "Quiet hours need to end at a different time.",
        ),
        (
            {"time": "23:00", "quiet_start": "22:00", "quiet_end": "07:00"},
            "Reminder time",
            "A reminder at 23:00 falls in your quiet hours (22:00–07:00), which run past "
            "midnight, so it would never be sent.",
        ),
    ],
)
def test_a_bad_field_is_named_and_nothing_typed_is_lost(alice, client_of, change, field, message):
    before = ReminderSettings.objects.get(patient=alice).time
    response = client_of.post("/reminders/", {**GOOD, **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check the form" in page
    assert f">{field}</a>: {message}" in page
    sent = {**GOOD, **change}
    for name in ("time", "quiet_start", "quiet_end"):
        if sent[name]:
            assert f'value="{sent[name]}"' in page, f"{name} lost"
    for day in sent["days"]:
        assert f'name="days" value="{day}" id="id_days_{day}" checked' in page, "days lost"
    assert ReminderSettings.objects.get(patient=alice).time == before


def test_the_api_reads_and_writes_the_same_settings(alice, client_of):
    got = client_of.get("/api/v1/me/reminders").json()
    token = ReminderSettings.objects.get(patient=alice).feed_token
    assert got == {
        "calendar_url": f"http://testserver/reminders/feed/{token}.ics",
        "time": "07:30",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "channels": ["email", "calendar"],
        "quiet_hours": None,
        "alert_minutes_before": 0,
    }
    wanted = {**got, "time": "06:05", "days": ["sat", "mon"], "channels": ["calendar"]}
    wanted["quiet_hours"] = {"start": "21:30", "end": "06:00"}
    put = client_of.put(
        "/api/v1/me/reminders",
        json.dumps(wanted),
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert put.status_code == 200, put.content
    assert put.json() == {**wanted, "days": ["mon", "sat"]}
    assert client_of.get("/api/v1/me/reminders").json() == put.json()
    page = client_of.get("/reminders/").content.decode()
    assert 'value="06:05"' in page and 'value="21:30"' in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time": "7 o'clock"}, "time"),
        ({"days": []}, "days"),
        ({"days": ["monday"]}, "days.0"),
        ({"days": ["mon", "mon"]}, "days"),
        ({"channels": ["sms"]}, "channels.0"),
        ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, "quiet_hours"),
        ({"time": "23:15", "quiet_hours": {"start": "22:00", "end": "07:00"}}, "quiet_hours"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_the_api_names_the_bad_field_and_changes_nothing(alice, client_of, change, field):
    body = {"time": "07:30", "days": ["mon"], "channels": ["email"], "quiet_hours": None, **change}
    response = client_of.put(
        "/api/v1/me/reminders", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert ReminderSettings.objects.get(patient=alice).days == list(range(7))


def test_other_people_cannot_read_or_change_reminders_through_the_api(alice, other_patient):
    assert Client().get("/api/v1/me/reminders").status_code == 401
    body = json.dumps({"time": "07:30", "days": ["mon"], "channels": []})
    assert (
        Client().put("/api/v1/me/reminders", body, content_type="application/json").status_code
        == 401
    )
    charlie = Client()
    charlie.force_login(other_patient)  # not through the safety check yet
    assert charlie.get("/api/v1/me/reminders").status_code == 403
    assert ReminderSettings.objects.filter(patient=other_patient).count() == 0


def test_a_personal_api_token_works_and_a_browser_put_needs_the_csrf_token(alice):
    from backstretch.accounts.tokens import create_token

    _, secret = create_token(alice, "calendar script")
    bearer = {"Authorization": f"Bearer {secret}"}
    body = json.dumps({"time": "09:00", "days": ["tue"], "channels": ["email"]})
    with_token = Client(enforce_csrf_checks=True)
    assert with_token.get("/api/v1/me/reminders", headers=bearer).json()["time"] == "07:30"
    put = with_token.put(
        "/api/v1/me/reminders", body, content_type="application/json", headers=bearer
    )
    assert put.status_code == 200 and put.json()["calendar_url"] is None

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    refused = browser.put(
        "/api/v1/me/reminders", body.replace("09:00", "10:00"), content_type="application/json"
    )
    assert refused.status_code == 403
    assert ReminderSettings.objects.get(patient=alice).time == time(9, 0)


def test_the_feed_follows_the_lead_time_saved_on_the_settings_page(alice, client_of):
    reminders = ReminderSettings.objects.get(patient=alice)
    response = client_of.post("/reminders/", {**GOOD, "lead_minutes": "10"})
    assert response.status_code == 302
    body = Client().get(f"/reminders/feed/{reminders.feed_token}.ics").content
    [alarm] = Calendar.from_ical(body).walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
    page = client_of.get("/reminders/").content.decode()
    assert '<option value="10" selected>10 minutes before</option>' in page
