from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.practice.stats import (
    adherence,
    calendar_weeks,
    counted_until,
    planned_days,
    recent_adherence,
    weekly_streak,
)

MONDAY = date(2026, 11, 2)


def days(*offsets):
    return {MONDAY + timedelta(days=o) for o in offsets}


def test_one_missed_day_does_not_break_the_weekly_streak():
    # Two full weeks practised on 6 of 7 days each, then this week on Monday and Tuesday.
    practised = days(0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15)
    streak = weekly_streak(practised, today=MONDAY + timedelta(days=15), target=5)
    assert streak.weeks == 2
    assert streak.days_this_week == 2
    assert not streak.this_week_met


def test_a_short_week_breaks_the_streak():
    practised = days(0, 1, 2, 3, 4, 7, 8, 14, 15, 16, 17, 18)  # week 2 only had 2 days
    streak = weekly_streak(practised, today=MONDAY + timedelta(days=20), target=5)
    assert streak.weeks == 1  # only this week, which has already met the target


def test_calendar_is_whole_monday_first_weeks_with_counts():
    weeks = calendar_weeks(
        [MONDAY + timedelta(days=2)] * 2, MONDAY + timedelta(days=1), MONDAY + timedelta(days=9)
    )
    assert len(weeks) == 2
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in weeks)
    assert weeks[0][0].in_range is False
    assert weeks[0][2].sessions == 2 and weeks[0][2].level == 2


def test_adherence_counts_only_planned_days():
    practised = days(0, 2, 5)  # Mon, Wed, Sat
    planned = planned_days([(MONDAY, [0, 2, 4])], MONDAY, MONDAY + timedelta(days=6))
    assert planned == sorted(days(0, 2, 4))
    assert adherence(practised, planned) == pytest.approx(2 / 3)
    assert adherence([], planned_days([(MONDAY, [1])], MONDAY, MONDAY)) is None


def test_planned_days_follow_the_plan_in_force():
    week = MONDAY + timedelta(days=6)
    # Mondays to Fridays from Wednesday, then only Fridays from Friday; nothing before.
    schedule = [(MONDAY + timedelta(days=2), range(5)), (MONDAY + timedelta(days=4), [4])]
    assert planned_days(schedule, MONDAY, week) == sorted(days(2, 3, 4))
    # Two plans taking effect the same day: the one made later is in force.
    assert planned_days([(MONDAY, [0]), (MONDAY, [1])], MONDAY, week) == sorted(days(1))
    assert planned_days([], MONDAY, week) == []


def test_the_counted_days_end_today_once_it_is_done():
    assert counted_until(days(0), MONDAY) == MONDAY
    assert counted_until(days(-1), MONDAY) == MONDAY - timedelta(days=1)


TODAY = date(2026, 11, 25)  # a Wednesday


def ago(n):
    return TODAY - timedelta(days=n)


def test_recent_adherence_counts_planned_days_and_times_a_day():
    mondays_and_thursdays = {0, 3}
    # The week before TODAY (Wed): Thu 19, Mon 23 were planned; one done.
    assert recent_adherence([ago(2)], TODAY, 7, mondays_and_thursdays) == 0.5
    # Twice a day: one of two on each of the 7 days before today (today not done yet).
    assert recent_adherence(
        [ago(n) for n in range(1, 8)], TODAY, 7, times_per_day=2
    ) == pytest.approx(7 / 14)
    # Extra sessions never make up for a missed day.
    assert recent_adherence([ago(1)] * 5, TODAY, 1) == 1.0
    assert recent_adherence([ago(1)] * 5, TODAY, 2) == 0.5


def test_today_counts_once_done_and_days_before_the_start_do_not():
    assert recent_adherence([ago(1)], TODAY, 1) == 1.0  # ends yesterday until today is done
    assert recent_adherence([TODAY], TODAY, 1) == 1.0
    assert recent_adherence([TODAY, ago(2)], TODAY, 2) == 0.5
    assert recent_adherence([TODAY], TODAY, 28, started=TODAY) == 1.0
    assert recent_adherence([], TODAY, 28, started=TODAY) is None
    assert recent_adherence([], TODAY, 7, weekdays=[]) is None


def test_a_window_or_times_a_day_below_one_is_refused():
    with pytest.raises(ValueError):
        recent_adherence([], TODAY, 0)
    with pytest.raises(ValueError):
        adherence([], [TODAY], times_per_day=0)


@given(
    st.lists(st.integers(0, 40), max_size=60),
    st.sets(st.integers(0, 6), min_size=1),
    st.integers(1, 3),
    st.integers(1, 40),
)
def test_recent_adherence_is_a_share(offsets, planned, times, window):
    value = recent_adherence([ago(n) for n in offsets], TODAY, window, planned, times)
    assert value is None or 0 <= value <= 1


@given(
    st.sets(st.integers(min_value=0, max_value=120)),
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=1, max_value=7),
)
def test_streak_properties(offsets, today_offset, target):
    practised = days(*offsets)
    today = MONDAY + timedelta(days=today_offset)
    streak = weekly_streak(practised, today, target)
    # Adding a practised day never lowers the streak.
    assert weekly_streak(practised | {today}, today, target).weeks >= streak.weeks
    # The streak can never exceed the number of weeks elapsed.
    assert streak.weeks <= today_offset // 7 + 1
    # Future days never count.
    assert weekly_streak(practised | {today + timedelta(days=1)}, today, target) == streak
