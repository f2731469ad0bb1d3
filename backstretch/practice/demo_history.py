"""Believable practice history for demo patients. Pure and seeded: no Django, no clock.

Given a first day, a number of days and a patient's habits (how often they practise, when,
how their pain moves), ``generate_history`` returns plain ``DemoSession`` records: the same
seed always gives the same history. Writing them to the database (through the same
validation as real sessions) is the demo loader's job, in ``backstretch.core.demo``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

MORNING = "morning"
EVENING = "evening"
# Local start windows, minutes after midnight.
START_WINDOWS = {MORNING: (6 * 60 + 30, 8 * 60 + 45), EVENING: (18 * 60 + 30, 21 * 60 + 45)}
SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class Habits:
    """How one demo patient practises and how their pain moves over the period."""

    practice_chance: float  # chance of practising on an ordinary day
    usual_slot: str  # MORNING or EVENING
    pain_start: float  # typical pain before a session on the first day (0–10)
    pain_end: float  # ... and on the last day
    relief: float  # typical drop from before to after a session (negative: worse after)
    second_session_chance: float = 0.0  # a second session the same day, in the other slot
    missed_weekend: int | None = None  # week number (0 = first) whose weekend is skipped
    tail_off_days: int = 0  # over the last N days practice fades to almost nothing
    stopped_days: int = 0  # no sessions at all in the last N days (the day before is practised)
    little_hurt_chance: float = 0.0  # chance a session has one "it hurts a little" press
    bad_hurt_day: int | None = None  # day number with the one "a lot" press; stops the session
    pain_skipped_chance: float = 0.04  # chance the pain questions were skipped


@dataclass(frozen=True)
class DemoHurt:
    hold_number: int  # which hold of the timeline (0 = first hold)
    severity: str  # little | lot
    action: str  # continue | shorter | stop


@dataclass(frozen=True)
class DemoSession:
    local_date: date
    slot: str
    start: time  # local wall-clock time the session started
    seconds: int  # how long it took
    pain_before: int | None
    pain_after: int | None
    hurt: DemoHurt | None
    completed: bool


def generate_history(
    habits: Habits,
    *,
    first_day: date,
    days: int,
    timeline_seconds: int,
    hold_ends: Sequence[int],
    seed: str,
) -> list[DemoSession]:
    """Sessions for ``days`` days from ``first_day``, in order of date and start time.

    ``timeline_seconds`` is the routine's compiled length; ``hold_ends`` gives, for each hold
    in order, the seconds from the start at which it ends (so a session stopped after a hold
    lasts about that long).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if not hold_ends:
        raise ValueError("a routine has at least one hold")
    rng = random.Random(seed)
    sessions: list[DemoSession] = []
    tail_sessions = 0
    for day_number in range(days):
        day = first_day + timedelta(days=day_number)
        in_tail = day_number >= days - habits.tail_off_days
        practised = rng.random() < _chance(habits, day_number, days, day, first_day)
        if day_number == habits.bad_hurt_day:
            practised = True
        if in_tail and day_number == days - habits.tail_off_days and tail_sessions == 0:
            practised = True  # tailing off starts from a day still practised
        if habits.stopped_days:
            stop_start = days - habits.stopped_days
            if day_number >= stop_start:
                practised = False
            elif day_number == stop_start - 1:
                practised = True  # the last session before stopping
        if not practised:
            continue
        tail_sessions += in_tail
        trend = day_number / max(1, days - 1)
        slots = [habits.usual_slot]
        if rng.random() < habits.second_session_chance:
            slots.append(EVENING if habits.usual_slot == MORNING else MORNING)
        for slot in sorted(slots, key=lambda s: START_WINDOWS[s]):
            sessions.append(
                _session(
                    habits,
                    rng,
                    day=day,
                    slot=slot,
                    trend=trend,
                    bad_hurt=day_number == habits.bad_hurt_day and slot == habits.usual_slot,
                    timeline_seconds=timeline_seconds,
                    hold_ends=hold_ends,
                )
            )
    return sessions


def _chance(habits: Habits, day_number: int, days: int, day: date, first_day: date) -> float:
    weekend = day.weekday() in (SATURDAY, SUNDAY)
    if weekend and (day - first_day).days // 7 == habits.missed_weekend:
        return 0.0
    tail_start = days - habits.tail_off_days
    if habits.tail_off_days and day_number >= tail_start:
        # Fades from the usual chance to nearly nothing by the last day.
        left = (days - day_number) / (habits.tail_off_days + 1)
        return habits.practice_chance * left * 0.4
    return habits.practice_chance


def _pain(value: float) -> int:
    return max(0, min(10, round(value)))


def _session(
    habits: Habits,
    rng: random.Random,
    *,
    day: date,
    slot: str,
    trend: float,
    bad_hurt: bool,
    timeline_seconds: int,
    hold_ends: Sequence[int],
) -> DemoSession:
    earliest, latest = START_WINDOWS[slot]
    minute = rng.randint(earliest, latest)
    typical = habits.pain_start + (habits.pain_end - habits.pain_start) * trend
    pain_before: int | None = _pain(rng.gauss(typical, 0.6))
    change = round(rng.gauss(habits.relief, 0.6))
    if habits.relief > 0 and rng.random() > 0.06:
        change = max(0, change)  # for people it helps, after is rarely above before
    pain_after: int | None = _pain((pain_before or 0) - change)

    hurt: DemoHurt | None = None
    completed = True
    seconds = timeline_seconds + rng.randint(-4, 40)  # small pauses, a slow start
    if bad_hurt:
        hold = rng.randrange(len(hold_ends) // 3, len(hold_ends))
        hurt = DemoHurt(hold, "lot", "stop")
        completed = False
        seconds = hold_ends[hold] + rng.randint(5, 25)
        pain_after = _pain((pain_before or 0) + 1)
    elif rng.random() < habits.little_hurt_chance:
        hurt = DemoHurt(
            rng.randrange(len(hold_ends)), "little", rng.choice(("continue", "shorter"))
        )
    if rng.random() < habits.pain_skipped_chance:
        pain_before = pain_after = None
    return DemoSession(
        local_date=day,
        slot=slot,
        start=time(minute // 60, minute % 60, rng.randrange(60)),
        seconds=max(1, seconds),
        pain_before=pain_before,
        pain_after=pain_after,
        hurt=hurt,
        completed=completed,
    )
