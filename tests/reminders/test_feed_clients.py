"""The feed as two independent calendar readers see it: recurring-ical-events (on icalendar)
and vobject (on dateutil). Both must put every reminder at the patient's own 07:00, across
the clock changes of three European zones and past 2038."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
import vobject.icalendar
from django.test import Client

from backstretch.reminders.ical import Feed, build_calendar
from backstretch.reminders.models import ReminderSettings

ZONES = ["Europe/London", "Europe/Dublin", "Europe/Madrid"]
# (from, to) in UTC: a week across each clock change of 2027, and summers past 2038.
WINDOWS = [
    (datetime(2027, 3, 24, tzinfo=UTC), datetime(2027, 4, 3, tzinfo=UTC)),
    (datetime(2027, 10, 27, tzinfo=UTC), datetime(2027, 11, 6, tzinfo=UTC)),
    (datetime(2038, 1, 10, tzinfo=UTC), datetime(2038, 1, 17, tzinfo=UTC)),
    (datetime(2038, 7, 1, tzinfo=UTC), datetime(2038, 7, 8, tzinfo=UTC)),
    (datetime(2039, 7, 1, tzinfo=UTC), datetime(2039, 7, 8, tzinfo=UTC)),
]


def feed_for(zone: str, lead_minutes: int = 0) -> bytes:
    return build_calendar(
        Feed(
            uid="0123@backstretch",
            calendar_name="Backstretch",
            summary="Stretches",
            description="Daily four",
            today_url="https://stretch.example.org/today/",
            time_zone=zone,
            remind_at=time(7, 0),
            days=tuple(range(7)),
            minutes=10,
            first_day=date(2026, 11, 16),
            stamp=datetime(2026, 11, 16, tzinfo=UTC),
            alarm_text="Time for your stretches",
            lead_minutes=lead_minutes,
        )
    )


@pytest.fixture
def fresh_vobject():
    """vobject keeps one process-wide table of time zones by name, filled by the first file
    read (or, for a zone it judges equal to UTC, by pytz): start each reading from none."""
    table = vars(vobject.icalendar)["__tzidMap"]
    kept = dict(table)
    table.clear()
    table["UTC"] = kept["UTC"]
    yield
    table.clear()
    table.update(kept)


def by_recurring_ical_events(body: bytes, start: datetime, end: datetime) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(body)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(event["DTSTART"].dt.astimezone(UTC) for event in events)


def by_vobject(body: bytes, start: datetime, end: datetime) -> list[datetime]:
    event = vobject.readOne(body.decode()).vevent
    return sorted(d.astimezone(UTC) for d in event.getrruleset().between(start, end, inc=True))


def seven_local(zone: str, start: datetime, end: datetime) -> list[datetime]:
    """07:00 on the zone's clock on every day of the window, in UTC."""
    here = ZoneInfo(zone)
    day, found = start.date() - timedelta(days=1), []
    while day <= end.date():
        moment = datetime.combine(day, time(7, 0), tzinfo=here).astimezone(UTC)
        if start <= moment <= end:
            found.append(moment)
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize("zone", ZONES)
def test_two_readers_put_every_reminder_at_seven_local_across_clock_changes_and_2038(
    zone, fresh_vobject
):
    body = feed_for(zone)
    for start, end in WINDOWS:
        wanted = seven_local(zone, start, end)
        assert len(wanted) >= 7
        assert by_recurring_ical_events(body, start, end) == wanted, (zone, start)
        assert by_vobject(body, start, end) == wanted, (zone, start)


@pytest.mark.parametrize("zone", ZONES)
def test_the_time_zone_is_two_yearly_rules_not_a_list_of_dates(zone):
    [timezone] = icalendar.Calendar.from_ical(feed_for(zone)).walk("VTIMEZONE")
    parts = timezone.walk("STANDARD") + timezone.walk("DAYLIGHT")
    assert len(parts) == 2
    for part in parts:
        assert "RDATE" not in part
        assert part["RRULE"]["FREQ"] == ["YEARLY"]
        assert part["RRULE"]["BYDAY"] == ["-1SU"]  # the last Sunday, of March or October


@pytest.mark.parametrize(("lead", "trigger"), [(0, "P0D"), (5, "-PT5M"), (30, "-PT30M")])
def test_the_alarm_comes_as_long_before_as_the_patient_chose(lead, trigger):
    body = feed_for("Europe/London", lead)
    assert f"TRIGGER:{trigger}\r\n" in body.decode()
    assert vobject.readOne(body.decode()).vevent.valarm.trigger.value == -timedelta(minutes=lead)


@pytest.mark.django_db
def test_the_event_uid_tells_nothing_and_stays_put(alice):
    reminders = ReminderSettings.objects.get(patient=alice)
    path = f"/reminders/feed/{reminders.feed_token}.ics"
    uids = [
        str(icalendar.Calendar.from_ical(Client().get(path).content).walk("VEVENT")[0]["UID"])
        for _ in range(2)
    ]
    assert uids[0] == uids[1]  # a calendar app updates the same event on every refresh
    local = uids[0].split("@")[0]
    assert str(alice.pk) not in local.split("-") and not local.isdigit()
    assert alice.email.split("@")[0] not in uids[0]
    assert reminders.feed_token not in uids[0]
