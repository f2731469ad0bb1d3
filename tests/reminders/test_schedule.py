"""The pure rule for "which reminder is due now", checked over many simulated days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from backstretch.reminders.schedule import Facts, Kind, QuietHours, due_reminder

MONDAY = date(2026, 11, 23)
EVERY_DAY = frozenset(range(7))


def facts(now: datetime, **changes: object) -> Facts:
    values: dict[str, object] = {
        "now": now,
        "remind_at": time(7, 30),
        "days": EVERY_DAY,
        "email_on": True,
        "quiet": None,
        "done_today": False,
        "done_yesterday": True,
        "first_day": MONDAY - timedelta(days=30),
        "sent_today": False,
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_nothing_before_the_chosen_time_and_a_reminder_from_it_on():
    assert due_reminder(facts(at(MONDAY, 7, 29))) is None
    assert due_reminder(facts(at(MONDAY, 7, 30))) == Kind.DAILY
    assert due_reminder(facts(at(MONDAY, 21, 0))) == Kind.DAILY


def test_nothing_once_today_is_done_or_a_message_went_out_or_email_is_off():
    assert due_reminder(facts(at(MONDAY, 9), done_today=True)) is None
    assert due_reminder(facts(at(MONDAY, 9), sent_today=True)) is None
    assert due_reminder(facts(at(MONDAY, 9), email_on=False)) is None


def test_a_missed_day_turns_the_next_reminder_into_a_nudge_even_on_a_rest_day():
    assert due_reminder(facts(at(MONDAY, 9), done_yesterday=False)) == Kind.NUDGE
    rest_monday = frozenset({1, 2, 3, 4, 6})  # Sunday was planned, Monday is a rest day
    assert due_reminder(facts(at(MONDAY, 9), days=rest_monday, done_yesterday=False)) == Kind.NUDGE
    assert due_reminder(facts(at(MONDAY, 9), days=rest_monday)) is None


def test_no_nudge_for_a_rest_day_or_a_day_before_reminders_started():
    not_sunday = frozenset(range(6))
    assert due_reminder(facts(at(MONDAY, 9), days=not_sunday, done_yesterday=False)) == Kind.DAILY
    assert due_reminder(facts(at(MONDAY, 9), first_day=MONDAY, done_yesterday=False)) == Kind.DAILY


def test_quiet_hours_across_midnight_hold_the_reminder_until_they_end():
    quiet = QuietHours(time(22, 0), time(8, 0))
    assert due_reminder(facts(at(MONDAY, 7, 45), quiet=quiet)) is None
    assert due_reminder(facts(at(MONDAY, 8, 0), quiet=quiet)) == Kind.DAILY
    assert due_reminder(facts(at(MONDAY, 22, 0), quiet=quiet, remind_at=time(21, 59))) is None
    assert time(23, 59) in quiet and time(0, 0) in quiet and time(12, 0) not in quiet


def test_equal_quiet_hours_mean_none_not_the_whole_day():
    assert time(12, 0) not in QuietHours(time(9, 0), time(9, 0))


times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
quiet_hours = st.one_of(st.none(), st.builds(QuietHours, times, times))
day_sets = st.frozensets(st.integers(0, 6), min_size=1)
zones = st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "UTC"])
# Weeks around both daylight-saving changes in Europe and North America.
starts = st.sampled_from(
    [
        datetime(2026, 3, 5, tzinfo=UTC),
        datetime(2026, 10, 21, tzinfo=UTC),
        datetime(2026, 6, 1, tzinfo=UTC),
    ]
)


def simulate(zone_name, start, remind_at, days, quiet, practised, step_minutes=10, span_days=14):
    """Run the rule every ``step_minutes`` of real (UTC) time, like cron; record what is sent."""
    zone = ZoneInfo(zone_name)
    first_day = start.astimezone(zone).date()
    sent: dict[date, tuple[Kind, datetime]] = {}
    moment = start
    while moment < start + timedelta(days=span_days):
        local = moment.astimezone(zone)
        today = local.date()
        kind = due_reminder(
            Facts(
                now=local.replace(tzinfo=None),
                remind_at=remind_at,
                days=days,
                email_on=True,
                quiet=quiet,
                done_today=today in practised,
                done_yesterday=today - timedelta(days=1) in practised,
                first_day=first_day,
                sent_today=today in sent,
            )
        )
        if kind is not None:
            assert today not in sent, "two messages on one local day"
            sent[today] = (kind, local)
        moment += timedelta(minutes=step_minutes)
    return first_day, sent


@settings(max_examples=60, deadline=None)
@given(
    zone=zones,
    start=starts,
    remind_at=times,
    days=day_sets,
    quiet=quiet_hours,
    practised_offsets=st.frozensets(st.integers(0, 13)),
)
def test_never_two_a_day_never_in_quiet_hours_never_before_the_time_never_when_done(
    zone, start, remind_at, days, quiet, practised_offsets
):
    first = start.astimezone(ZoneInfo(zone)).date()
    practised = {first + timedelta(days=n) for n in practised_offsets}
    _, sent = simulate(zone, start, remind_at, days, quiet, practised)
    for day, (kind, local) in sent.items():
        assert local.date() == day
        assert local.time() >= remind_at
        assert quiet is None or local.time() not in quiet
        assert day not in practised
        if kind == Kind.NUDGE:
            assert day - timedelta(days=1) not in practised
            assert (day - timedelta(days=1)).weekday() in days


@settings(max_examples=40, deadline=None)
@given(zone=zones, start=starts, remind_at=times, days=day_sets)
def test_every_planned_day_not_done_gets_exactly_one_reminder_across_clock_changes(
    zone, start, remind_at, days
):
    """Without quiet hours or practice, each planned local day gets its one message, at the
    chosen local time (or the first run after it, when the clock jumps over that time)."""
    first, sent = simulate(zone, start, remind_at, days, quiet=None, practised=set())
    for offset in range(1, 13):  # whole local days inside the simulated span
        day = first + timedelta(days=offset)
        if day.weekday() in days:
            assert day in sent, f"no reminder on {day}"
            _, local = sent[day]
            late = datetime.combine(day, local.time()) - datetime.combine(day, remind_at)
            midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
            clock_change = midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset()
            allowed = timedelta(minutes=70 if clock_change else 10)
            assert timedelta(0) <= late < allowed, f"{day}: sent at {local.time()}"


def test_the_spring_forward_gap_still_reminds_once_just_after_the_jump():
    """01:30 does not exist in London on 29 March 2026: the reminder comes at 02:00 instead."""
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    _, sent = simulate("Europe/London", start, time(1, 30), EVERY_DAY, None, set(), 5, 3)
    _kind, local = sent[date(2026, 3, 29)]
    assert local.hour == 2 and local.minute == 0  # 01:00 GMT became 02:00 BST
    assert local.utcoffset() == timedelta(hours=1)


def test_the_fall_back_repeat_hour_does_not_send_twice():
    """01:30 happens twice in London on 25 October 2026; one message, the first time."""
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    _, sent = simulate("Europe/London", start, time(1, 30), EVERY_DAY, None, set(), 5, 3)
    _kind, local = sent[date(2026, 10, 25)]
    assert (local.hour, local.minute) == (1, 30) and local.utcoffset() == timedelta(hours=1)
