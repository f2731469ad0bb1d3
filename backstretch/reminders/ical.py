"""The patient's calendar feed as iCalendar (RFC 5545): one weekly recurring event with an
alarm, in the patient's own time zone. Plain inputs, no Django, so it is easy to test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from .schedule import WEEKDAY_CODES

PRODID = "-//Backstretch//Reminders//EN"


@dataclass(frozen=True)
class Feed:
    uid: str  # stable for the patient, so a re-read updates the same event
    calendar_name: str
    summary: str
    description: str
    today_url: str
    time_zone: str
    remind_at: time
    days: tuple[int, ...]  # weekday numbers, Monday 0
    minutes: int
    first_day: date
    stamp: datetime  # aware, when the feed was produced
    alarm_text: str


def first_occurrence(first_day: date, days: tuple[int, ...]) -> date:
    """The first reminder day on or after ``first_day`` (DTSTART must match the rule)."""
    for offset in range(7):
        day = first_day + timedelta(days=offset)
        if day.weekday() in days:
            return day
    return first_day


def build_calendar(feed: Feed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed.calendar_name)
    calendar.add("x-wr-timezone", feed.time_zone)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    if feed.days:
        zone = ZoneInfo(feed.time_zone)
        start = datetime.combine(first_occurrence(feed.first_day, feed.days), feed.remind_at)
        event = Event()
        event.add("uid", feed.uid)
        event.add("dtstamp", feed.stamp)
        event.add("dtstart", start.replace(tzinfo=zone))
        event.add("duration", timedelta(minutes=max(1, feed.minutes)))
        event.add(
            "rrule",
            {"FREQ": "WEEKLY", "BYDAY": [WEEKDAY_CODES[d][:2].upper() for d in sorted(feed.days)]},
        )
        event.add("summary", feed.summary)
        event.add("description", feed.description)
        event.add("url", feed.today_url)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", feed.alarm_text)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
        calendar.add_missing_timezones()
    return calendar.to_ical()
