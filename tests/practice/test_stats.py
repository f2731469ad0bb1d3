from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.practice.stats import adherence, calendar_weeks, day_run, weekly_streak

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
    assert streak.still_possible_this_week


def test_a_short_week_breaks_the_streak():
    practised = days(0, 1, 2, 3, 4, 7, 8, 14, 15, 16, 17, 18)  # week 2 only had 2 days
    streak = weekly_streak(practised, today=MONDAY + timedelta(days=20), target=5)
    assert streak.weeks == 1  # only this week, which has already met the target


def test_day_run_counts_up_to_yesterday_when_today_is_not_done():
    practised = days(0, 1, 2)
    assert day_run(practised, MONDAY + timedelta(days=3)) == 3
    assert day_run(practised, MONDAY + timedelta(days=2)) == 3
    assert day_run(practised, MONDAY + timedelta(days=5)) == 0


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
    assert adherence(
        practised, MONDAY, MONDAY + timedelta(days=6), planned_days=[0, 2, 4]
    ) == pytest.approx(2 / 3)
    assert adherence([], MONDAY, MONDAY, planned_days=[1]) is None


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
