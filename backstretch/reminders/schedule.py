"""Which reminder is due for one patient right now, from plain facts. No Django here.

Everything is in the patient's own local time: ``now`` is their wall-clock time, dates are
their dates. The rules:

- a reminder goes out at (or after) the chosen time, only while today's session is not done;
- after a missed day (a reminder day that passed without a session) the day's message is a
  gentle nudge instead of the plain reminder;
- never more than one message a day, whatever its kind;
- never during quiet hours (a range may cross midnight, e.g. 22:00-07:00); a reminder whose
  time falls in quiet hours waits until they end, if that is still the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Kind(StrEnum):
    DAILY = "daily"
    NUDGE = "nudge"


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def __contains__(self, moment: time) -> bool:
        if self.start == self.end:
            return False  # an empty range, not the whole day
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # crosses midnight


def never_reached(remind_at: time, quiet: QuietHours | None) -> bool:
    """True when a reminder time sits in the evening part of quiet hours that run past
    midnight: it waits for them to end, but by then it is a new day with its own reminder time,
    so it would never be sent. (In any other quiet hours it is sent when they end.)"""
    return quiet is not None and quiet.end < quiet.start <= remind_at


@dataclass(frozen=True)
class Facts:
    now: datetime  # the patient's local wall-clock time (naive or aware, only its parts count)
    remind_at: time
    days: frozenset[int]  # weekdays with a session planned, Monday 0
    email_on: bool
    quiet: QuietHours | None
    done_today: bool
    done_yesterday: bool
    first_day: date  # reminders started on this local date: no "missed day" before it
    sent_today: bool  # a message (of any kind) already went out, or is going out, today


def missed_yesterday(facts: Facts) -> bool:
    yesterday = facts.now.date() - timedelta(days=1)
    return (
        yesterday >= facts.first_day
        and yesterday.weekday() in facts.days
        and not facts.done_yesterday
    )


def due_reminder(facts: Facts) -> Kind | None:
    """The message to send now, or None."""
    if not facts.email_on or facts.sent_today or facts.done_today:
        return None
    moment = facts.now.time().replace(tzinfo=None)
    if moment < facts.remind_at:
        return None
    if facts.quiet is not None and moment in facts.quiet:
        return None
    if missed_yesterday(facts):
        return Kind.NUDGE
    if facts.now.weekday() in facts.days:
        return Kind.DAILY
    return None
