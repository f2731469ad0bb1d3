"""A time zone as a VTIMEZONE that holds for every year: yearly rules, not a list of dates.

icalendar's own VTIMEZONE lists each clock change as a date up to a last year (2038), and
some readers (vobject) take only the first date of such a list. The rules of today's zones are
yearly ("the last Sunday of March at 01:00"), so we read two clock changes a year from the
zone database for a few years running and write each as one RRULE. A zone whose changes follow
no such rule (a few follow the moon) keeps icalendar's list of dates, made to run long enough.
Plain inputs, no Django.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

YEARS_CHECKED = 4  # a rule must hold this many years running
FALLBACK_YEARS = 60  # how far a list of dates runs when no rule fits
RULES_FROM = 1970
WEEKDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    wall: datetime  # local time of the change, read on the clock before it (naive)
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


def changes_in(zone: ZoneInfo, year: int) -> list[Change]:
    """The zone's clock changes in ``year``, found day by day and then to the minute."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        later = moment + timedelta(days=1)
        after = later.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, later  # offset changes in (low, high]
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            assert before is not None and after is not None
            found.append(
                Change(
                    wall=(high + before).replace(tzinfo=None),
                    offset_from=before,
                    offset_to=after,
                    name=local.tzname() or "",
                    daylight=bool(local.dst()),
                )
            )
        moment, before = later, after
    return found


def _byday(day: date) -> set[str]:
    """The ways of naming ``day`` in a monthly rule: "2SU" (second Sunday), "-1SU" (last)."""
    code = WEEKDAY[day.weekday()]
    names = {f"{(day.day - 1) // 7 + 1}{code}"}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        names.add(f"-1{code}")
    return names


def _yearly_rule(changes: list[Change]) -> str | None:
    """The BYDAY that names every change in the list (one per year), or None."""
    first = changes[0]
    same = all(
        (c.wall.month, c.wall.time(), c.wall.weekday(), c.offset_to, c.offset_from)
        == (
            first.wall.month,
            first.wall.time(),
            first.wall.weekday(),
            first.offset_to,
            first.offset_from,
        )
        for c in changes
    )
    if not same:
        return None
    common = set.intersection(*(_byday(c.wall.date()) for c in changes))
    if not common:
        return None
    return (
        "-1" + WEEKDAY[first.wall.weekday()]
        if any(n.startswith("-") for n in common)
        else (common.pop())
    )


def _rule_date(year: int, month: int, byday: str) -> date:
    """The day "-1SU" or "2SU" names in ``month`` of ``year``."""
    nth, weekday = int(byday[:-2]), WEEKDAY.index(byday[-2:])
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


def _observance(
    change: Change, rrule: dict[str, object] | None
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if change.daylight else TimezoneStandard()
    part.add("dtstart", change.wall)
    part.add("tzoffsetfrom", change.offset_from)
    part.add("tzoffsetto", change.offset_to)
    part.add("tzname", change.name)
    if rrule:
        part.add("rrule", rrule)
    return part


def vtimezone(key: str, first_year: int) -> Timezone:
    """A VTIMEZONE for ``key`` right from ``first_year`` on, for every later year."""
    zone = ZoneInfo(key)
    years = [changes_in(zone, first_year + n) for n in range(YEARS_CHECKED)]
    timezone = Timezone()
    timezone.add("tzid", key)
    if all(not changes for changes in years):
        moment = datetime(first_year, 1, 1, tzinfo=zone)
        offset = moment.utcoffset() or timedelta(0)
        timezone.add_component(
            _observance(
                Change(datetime(first_year, 1, 1), offset, offset, moment.tzname() or key, False),
                None,
            )
        )
        return timezone
    if all(len(changes) == 2 for changes in years):
        rules = [_yearly_rule([changes[i] for changes in years]) for i in range(2)]
        if all(rules):
            for i, byday in enumerate(rules):
                assert byday is not None
                change = years[0][i]
                month = change.wall.month
                # Written from 1970 on, as most calendar programs write theirs: a reader that
                # compares a zone with the ones it knows over past years (vobject looks at
                # 2000-2020) must see its clock changes there, or takes it for UTC.
                on = _rule_date(RULES_FROM, month, byday)
                change = replace(change, wall=datetime.combine(on, change.wall.time()))
                timezone.add_component(
                    _observance(change, {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": byday})
                )
            return timezone
    return Timezone.from_tzinfo(
        zone, key, date(first_year, 1, 1), date(first_year + FALLBACK_YEARS, 1, 1)
    )
