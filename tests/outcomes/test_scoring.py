"""PEG and STarT Back scoring, from the facts in docs/CLINICAL.md §3.3."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.outcomes.scoring import (
    Change,
    Risk,
    meaningful_change,
    peg_due,
    peg_score,
    start_back_score,
)


def test_peg_score_is_the_mean_of_the_three_items_to_one_decimal():
    assert peg_score(6, 4, 3) == 4.3
    assert peg_score(0, 0, 0) == 0
    assert peg_score(10, 10, 10) == 10


def test_peg_items_outside_0_to_10_are_refused():
    with pytest.raises(ValueError, match="0 to 10"):
        peg_score(11, 0, 0)


TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("days", "due"),
    [
        ([], True),
        ([TODAY], False),
        ([TODAY - timedelta(days=6)], False),
        ([TODAY - timedelta(days=7)], True),
        ([TODAY - timedelta(days=30), TODAY - timedelta(days=2)], False),
    ],
)
def test_peg_is_due_once_seven_days_have_passed_since_the_last_check_in(days, due):
    assert peg_due(days, TODAY) is due


def answers(agree_items=(), bother=0):
    return [1 if n in agree_items else 0 for n in range(1, 9)] + [bother]


@pytest.mark.parametrize(
    ("given_answers", "overall", "distress", "risk"),
    [
        (answers(), 0, 0, Risk.LOW),
        (answers({1, 2, 3}), 3, 0, Risk.LOW),  # overall 3 is still low
        (answers({1, 2, 3, 4}), 4, 0, Risk.MEDIUM),
        (answers({1, 5, 6, 7}), 4, 3, Risk.MEDIUM),  # distress 3 is not high
        (answers({5, 6, 7, 8}), 4, 4, Risk.HIGH),
        (answers({5, 6, 7}, bother=3), 4, 4, Risk.HIGH),  # "very much" counts
        (answers({5, 6, 7}, bother=2), 3, 3, Risk.LOW),  # "moderately" does not
        (answers(range(1, 9), bother=4), 9, 5, Risk.HIGH),
    ],
)
def test_start_back_overall_distress_and_risk(given_answers, overall, distress, risk):
    result = start_back_score(given_answers)
    assert (result.overall, result.distress, result.risk) == (overall, distress, risk)


@given(st.lists(st.integers(0, 1), min_size=8, max_size=8), st.integers(0, 4))
def test_scores_stay_in_range_and_low_risk_means_overall_3_or_less(items, bother):
    result = start_back_score([*items, bother])
    assert 0 <= result.distress <= 5 and result.distress <= result.overall <= 9
    assert (result.risk == Risk.LOW) == (result.overall <= 3)


@pytest.mark.parametrize(
    ("bad", "message"),
    [([0] * 8, "9 answers"), ([2] + [0] * 8, "item 1"), ([0] * 8 + [5], "item 9")],
)
def test_impossible_start_back_answers_are_refused_naming_the_item(bad, message):
    with pytest.raises(ValueError, match=message):
        start_back_score(bad)


@pytest.mark.parametrize(
    ("before", "after", "reading"),
    [
        (5, 7, Change.WORSE),
        (5, 6.4, Change.SAME),  # 28 %
        (7, 5, Change.BETTER),
        (3, 4, Change.WORSE),  # a third, and a whole point
        (2, 2.6, Change.SAME),  # 30 %, but less than a point
        (0, 1.5, Change.SAME),
        (0, 2, Change.WORSE),
    ],
)
def test_a_change_people_notice_is_about_two_points_or_thirty_percent(before, after, reading):
    assert meaningful_change(before, after) == reading
