"""The pure demo-history generator: seeded, bounded, and shaped by each patient's habits."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backstretch.practice.demo_history import (
    EVENING,
    MORNING,
    START_WINDOWS,
    DemoSession,
    Habits,
    generate_history,
)

FIRST_DAY = date(2026, 3, 2)  # a Monday
TOTAL = 570
HOLD_ENDS = [20 + 10 * n for n in range(45)]
STEADY = Habits(practice_chance=0.85, usual_slot=MORNING, pain_start=6, pain_end=2, relief=1)


def weekly_average_pain(sessions: list[DemoSession], first_day: date, week: int) -> float:
    """Mean pain before sessions in week ``week`` (0-based from ``first_day``); nan if none."""
    start = first_day + timedelta(days=7 * week)
    values = [
        s.pain_before
        for s in sessions
        if start <= s.local_date < start + timedelta(days=7) and s.pain_before is not None
    ]
    return sum(values) / len(values) if values else float("nan")


def history(habits=STEADY, seed="someone@example.org", days=42):
    return generate_history(
        habits,
        first_day=FIRST_DAY,
        days=days,
        timeline_seconds=TOTAL,
        hold_ends=HOLD_ENDS,
        seed=seed,
    )


def test_the_same_seed_gives_the_same_history_and_another_seed_another():
    assert history() == history()
    assert history() != history(seed="someone-else@example.org")


def test_sessions_stay_inside_the_period_in_order_and_leave_days_out():
    sessions = history()
    dates = [s.local_date for s in sessions]
    assert dates == sorted(dates)
    assert dates[0] >= FIRST_DAY and dates[-1] < FIRST_DAY + timedelta(days=42)
    assert len(set(dates)) < 42


def test_pain_follows_the_trend_and_after_is_mostly_not_worse():
    sessions = history()
    assert (
        weekly_average_pain(sessions, FIRST_DAY, 5)
        < weekly_average_pain(sessions, FIRST_DAY, 0) - 2
    )
    pairs = [(s.pain_before, s.pain_after) for s in sessions if s.pain_before is not None]
    assert sum(after <= before for before, after in pairs) >= 0.9 * len(pairs)
    rising = history(Habits(0.7, EVENING, pain_start=3, pain_end=7, relief=-0.3))
    assert weekly_average_pain(rising, FIRST_DAY, 5) > weekly_average_pain(rising, FIRST_DAY, 0) + 2


def test_a_missed_weekend_has_no_sessions():
    sessions = history(Habits(1.0, MORNING, 5, 3, 1, missed_weekend=2))
    saturday = FIRST_DAY + timedelta(days=2 * 7 + 5)
    missed = {saturday, saturday + timedelta(days=1)}
    assert not [s for s in sessions if s.local_date in missed]
    assert len({s.local_date for s in sessions}) == 40


def test_tailing_off_leaves_the_last_week_almost_empty():
    sessions = history(Habits(1.0, MORNING, 5, 3, 1, tail_off_days=7))
    last_week = [s for s in sessions if s.local_date >= FIRST_DAY + timedelta(days=35)]
    assert 1 <= len(last_week) <= 3
    assert last_week[0].local_date == FIRST_DAY + timedelta(days=35)


def test_stopping_leaves_the_last_days_empty_after_one_last_session():
    sessions = history(Habits(0.2, MORNING, 5, 3, 1, stopped_days=4), days=42)
    dates = {s.local_date for s in sessions}
    assert max(dates) == FIRST_DAY + timedelta(days=37)
    assert history(Habits(0.2, MORNING, 5, 3, 1))[:3] == sessions[:3]


def test_the_bad_hurt_day_stops_that_session_early():
    sessions = history(Habits(0.1, EVENING, 4, 6, 0, bad_hurt_day=30))
    (bad,) = [s for s in sessions if s.hurt and s.hurt.severity == "lot"]
    assert bad.local_date == FIRST_DAY + timedelta(days=30)
    assert not bad.completed and bad.hurt.action == "stop"
    assert HOLD_ENDS[bad.hurt.hold_number] < bad.seconds < TOTAL


def test_little_hurts_appear_when_likely_and_never_stop_the_session():
    sessions = history(Habits(0.9, MORNING, 5, 3, 1, little_hurt_chance=0.3))
    hurts = [s.hurt for s in sessions if s.hurt]
    assert hurts
    assert {h.severity for h in hurts} == {"little"}
    assert all(s.completed for s in sessions)


def test_a_second_session_uses_the_other_slot():
    sessions = history(Habits(0.9, MORNING, 5, 3, 1, second_session_chance=0.5))
    by_day = {}
    for s in sessions:
        by_day.setdefault(s.local_date, []).append(s.slot)
    assert [MORNING, EVENING] in by_day.values()


@settings(max_examples=40, deadline=None)
@given(
    chance=st.floats(0, 1),
    start=st.floats(0, 10),
    end=st.floats(0, 10),
    relief=st.floats(-3, 3),
    seed=st.text(max_size=10),
    days=st.integers(1, 60),
)
def test_values_are_always_in_range(chance, start, end, relief, seed, days):
    habits = Habits(chance, EVENING, start, end, relief, little_hurt_chance=0.2, bad_hurt_day=0)
    for s in history(habits, seed=seed, days=days):
        for pain in (s.pain_before, s.pain_after):
            assert pain is None or 0 <= pain <= 10
        earliest, latest = START_WINDOWS[s.slot]
        assert earliest <= s.start.hour * 60 + s.start.minute <= latest
        assert 0 < s.seconds <= TOTAL + 40
        assert s.hurt is None or 0 <= s.hurt.hold_number < len(HOLD_ENDS)
