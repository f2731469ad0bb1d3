"""The patient's calendar feed as iCalendar (RFC 5545): one weekly recurring event with an
alarm, in the patient's own time zone, whose definition holds for every year
(``vtimezone.py``). Plain inputs, no Django, so it is easy to test."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from .schedule import WEEKDAY_CODES
from .vtimezone import vtimezone

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
    lead_minutes: int = 0  # the alert comes this long before the start


def event_uid(feed_token: str) -> str:
    """The event's UID: stable while the feed's link is, and telling nothing about the patient
    (no database id; a one-way digest of the secret the link already carries)."""
    return hashlib.sha256(feed_token.encode()).hexdigest()[:32] + "@backstretch"


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
        alarm.add("trigger", -timedelta(minutes=feed.lead_minutes))
        event.add_component(alarm)
        if "TZID" in event["dtstart"].params:  # not for UTC, written as 07:00Z
            # The zone's rules from the year before the first event, so every event has one.
            calendar.add_component(vtimezone(feed.time_zone, start.year - 1))
        calendar.add_component(event)
    return calendar.to_ical()
