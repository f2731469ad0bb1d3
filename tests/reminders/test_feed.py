"""The private calendar feed: parsed back with icalendar, expanded across a clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from icalendar import Calendar

from backstretch.reminders.ical import Feed, build_calendar
from backstretch.reminders.models import ReminderSettings

LONDON = ZoneInfo("Europe/London")


def feed_path(reminders: ReminderSettings) -> str:
    return f"/reminders/feed/{reminders.feed_token}.ics"


def parse(body: bytes):
    calendar = Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.django_db
def test_the_feed_holds_the_schedule_as_one_recurring_event_with_an_alarm(alice, settings):
    settings.BACKSTRETCH_BASE_URL = "https://stretch.example.org"
    reminders = ReminderSettings.objects.get(patient=alice)
    reminders.days = [0, 2, 4]
    reminders.time = time(7, 30)
    reminders.save()

    response = Client().get(feed_path(reminders))  # calendar apps do not log in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, event = parse(response.content)

    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/London"
    assert (start.hour, start.minute) == (7, 30)
    assert start.date() == date(2026, 11, 2)  # the first Monday on or after 1 November
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]
    assert event.decoded("DURATION") >= timedelta(minutes=5)
    assert str(event["SUMMARY"]) == "Stretches: Daily four"
    description = str(event["DESCRIPTION"])
    assert "Daily four, about" in description and "minutes" in description
    assert "https://stretch.example.org/today/" in description
    assert str(event["URL"]) == "https://stretch.example.org/today/"
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)


def test_recurrence_keeps_the_local_time_across_the_spring_clock_change():
    """07:30 in London stays 07:30 on the clock: 07:30 UTC in March, 06:30 UTC after the change."""
    body = build_calendar(
        Feed(
            uid="stretches-1@backstretch",
            calendar_name="Backstretch",
            summary="Stretches",
            description="Daily four",
            today_url="https://stretch.example.org/today/",
            time_zone="Europe/London",
            remind_at=time(7, 30),
            days=(5, 6, 0),  # Saturday, Sunday, Monday
            minutes=9,
            first_day=date(2026, 3, 27),
            stamp=datetime(2026, 3, 1, tzinfo=UTC),
            alarm_text="Time for your stretches",
        )
    )
    _, event = parse(body)
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    first_three = list(rule[:3])
    assert [d.date() for d in first_three] == [
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 3, 30),
    ]
    assert {(d.hour, d.minute) for d in first_three} == {(7, 30)}
    in_utc = [d.astimezone(UTC).time() for d in first_three]
    assert in_utc == [time(7, 30), time(6, 30), time(6, 30)]  # BST began on 29 March


def test_recurrence_keeps_the_local_time_across_the_autumn_clock_change_in_new_york():
    body = build_calendar(
        Feed(
            "u@b",
            "B",
            "S",
            "D",
            "https://x/today/",
            "America/New_York",
            time(18, 0),
            (6,),
            10,
            date(2026, 10, 20),
            datetime(2026, 10, 1, tzinfo=UTC),
            "A",
        )
    )
    _, event = parse(body)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART"))
    sundays = list(rule[:3])
    assert [d.date() for d in sundays] == [date(2026, 10, 25), date(2026, 11, 1), date(2026, 11, 8)]
    assert [d.astimezone(UTC).hour for d in sundays] == [22, 23, 23]  # EDT, then EST


@pytest.mark.django_db
def test_revoking_makes_the_old_url_answer_404_and_the_new_one_work(alice):
    reminders = ReminderSettings.objects.get(patient=alice)
    old = feed_path(reminders)
    client = Client()
    client.force_login(alice)
    response = client.post("/reminders/feed/revoke/")
    assert response.status_code == 302
    page = client.get("/reminders/")
    assert b"The old calendar link no longer works" in page.content
    new = feed_path(ReminderSettings.objects.get(patient=alice))
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert new.encode() in page.content


@pytest.mark.django_db
def test_a_guessed_token_is_a_404_and_a_turned_off_feed_too(alice):
    assert Client().get("/reminders/feed/not-a-real-token.ics").status_code == 404
    reminders = ReminderSettings.objects.get(patient=alice)
    reminders.channels = ["email"]
    reminders.save()
    assert Client().get(feed_path(reminders)).status_code == 404
