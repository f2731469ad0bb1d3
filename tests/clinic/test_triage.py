from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.clinic.triage import (
    Dealt,
    HurtFact,
    PatientFacts,
    PegFact,
    SessionFact,
    Severity,
    reasons,
    silent_days,
    sort_key,
)

TODAY = date(2026, 11, 25)  # a Wednesday


def ago(days):
    return TODAY - timedelta(days=days)


def kinds(facts):
    return [r.kind for r in reasons(facts)]


def daily(days=28, **extra):
    return [SessionFact(ago(n), **extra) for n in range(days)]


def test_a_patient_practising_daily_with_nothing_wrong_is_on_track():
    assert reasons(PatientFacts(TODAY, sessions=daily(pain_before=5, pain_after=4))) == []


def test_an_uncleared_red_flag_answer_comes_first():
    facts = PatientFacts(
        TODAY, sessions=[SessionFact(ago(9))], screen_urgency="prompt", screen_day=ago(1)
    )
    found = reasons(facts)
    assert found[0].kind == "red_flag"
    assert found[0].severity == Severity.RED_FLAG
    assert found[0].day == ago(1)
    assert "silent" in kinds(facts)


@pytest.mark.parametrize(
    ("urgency", "cleared"), [("clear", False), ("prompt", True), (None, False)]
)
def test_a_clear_or_cleared_screen_is_no_reason(urgency, cleared):
    facts = PatientFacts(TODAY, sessions=daily(), screen_urgency=urgency, screen_cleared=cleared)
    assert kinds(facts) == []


def test_a_red_flag_the_patient_says_is_cleared_stays_for_two_weeks():
    def facts(days_ago):
        return PatientFacts(
            TODAY,
            sessions=daily(),
            screen_urgency="emergency",
            screen_day=ago(days_ago),
            screen_cleared=True,
        )

    (reason,) = reasons(facts(13))
    assert (reason.kind, reason.detail, reason.day) == ("red_flag", "says_cleared", ago(13))
    assert kinds(facts(14)) == []


def test_a_hurt_in_the_last_seven_days_names_the_worst_one():
    hurts = [HurtFact(ago(1), "little"), HurtFact(ago(3), "lot"), HurtFact(ago(8), "sharp")]
    (reason,) = reasons(PatientFacts(TODAY, sessions=daily(), hurts=hurts))
    assert (reason.kind, reason.detail, reason.day, reason.count) == ("hurt", "lot", ago(3), 2)


def test_a_hurt_eight_days_ago_is_old_news():
    assert kinds(PatientFacts(TODAY, sessions=daily(), hurts=[HurtFact(ago(7), "sharp")])) == []


def test_pain_rising_by_two_more_than_once_this_week_needs_a_call():
    sessions = [
        SessionFact(ago(0), 3, 5),
        SessionFact(ago(2), 4, 6),
        SessionFact(ago(1), 4, 5),  # one point: not counted
    ]
    (reason,) = reasons(PatientFacts(TODAY, sessions=sessions))
    assert (reason.kind, reason.count, reason.day) == ("pain_rose", 2, ago(0))


def test_pain_rising_only_once_or_long_ago_does_not():
    once = [SessionFact(ago(0), 3, 5), SessionFact(ago(1), 3, 3)]
    old = [SessionFact(ago(0), 3, 3), SessionFact(ago(8), 3, 6), SessionFact(ago(9), 3, 6)]
    assert kinds(PatientFacts(TODAY, sessions=once)) == []
    assert kinds(PatientFacts(TODAY, sessions=old)) == []


@pytest.mark.parametrize(("gap", "flagged"), [(0, False), (2, False), (3, True), (5, True)])
def test_silence_of_three_days_or_more_needs_a_call(gap, flagged):
    found = reasons(PatientFacts(TODAY, sessions=[SessionFact(ago(gap))]))
    assert [r.kind for r in found] == (["silent"] if flagged else [])
    if flagged:
        assert found[0].count == gap


def test_silence_counts_from_an_older_last_session_or_the_start():
    assert silent_days(PatientFacts(TODAY, last_session=ago(40))) == 40
    assert silent_days(PatientFacts(TODAY, started=ago(4))) == 4
    assert silent_days(PatientFacts(TODAY)) is None


def test_a_passed_review_date_is_the_mildest_reason():
    facts = PatientFacts(TODAY, sessions=daily(), review_date=ago(1))
    assert [(r.kind, r.severity) for r in reasons(facts)] == [("review_due", Severity.REVIEW)]
    assert kinds(PatientFacts(TODAY, sessions=daily(), review_date=TODAY)) == []


def test_sorting_puts_the_most_urgent_first_then_the_longest_silence():
    people = {
        "on track": PatientFacts(TODAY, sessions=daily()),
        "silent 4": PatientFacts(TODAY, sessions=[SessionFact(ago(4))]),
        "silent 9": PatientFacts(TODAY, sessions=[SessionFact(ago(9))]),
        "hurt": PatientFacts(TODAY, sessions=daily(), hurts=[HurtFact(ago(1), "little")]),
        "red flag": PatientFacts(TODAY, sessions=daily(), screen_urgency="emergency"),
    }
    order = sorted(people, key=lambda n: sort_key(reasons(people[n]), silent_days(people[n]), n))
    assert order == ["red flag", "hurt", "silent 9", "silent 4", "on track"]


@given(st.lists(st.integers(0, 30), max_size=30), st.integers(0, 30))
def test_reasons_come_most_severe_first_and_silence_matches_the_last_session(offsets, start):
    facts = PatientFacts(TODAY, sessions=[SessionFact(ago(n)) for n in offsets], started=ago(start))
    found = reasons(facts)
    assert [r.severity for r in found] == sorted((r.severity for r in found), reverse=True)
    expected = min(offsets) if offsets else start
    assert silent_days(facts) == expected
    assert ("silent" in [r.kind for r in found]) == (expected >= 3)


def test_pain_rising_over_the_weeks_needs_a_call():
    earlier = [SessionFact(ago(n), 3, 3) for n in range(8, 28, 2)]
    worse = [SessionFact(ago(n), 5, 5) for n in (1, 3, 5)]
    (reason,) = reasons(PatientFacts(TODAY, sessions=earlier + worse))
    assert reason.kind == "pain_trend" and reason.severity == Severity.PAIN
    assert reason.values == (3.0, 5.0)
    slightly = [SessionFact(ago(n), 4, 4) for n in (1, 3, 5)]
    assert kinds(PatientFacts(TODAY, sessions=earlier + slightly)) == []
    assert kinds(PatientFacts(TODAY, sessions=worse)) == [], "no earlier scores to compare"


# --- The loop: re-checks, jumps, the weekly PEG, and "dealt with" ------------------------------

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_ranking_puts_safety_then_a_jump_then_a_worse_peg_then_the_rest():
    people = {
        "recheck": PatientFacts(TODAY, sessions=daily(), recheck_day=ago(1)),
        "jump": PatientFacts(TODAY, sessions=[*daily(), SessionFact(ago(1), 6, 9)]),
        "peg": PatientFacts(
            TODAY,
            sessions=daily(),
            pegs=[PegFact(ago(14), 3), PegFact(ago(7), 3), PegFact(ago(0), 5.3)],
        ),
        "hurt": PatientFacts(TODAY, sessions=daily(), hurts=[HurtFact(ago(1), "lot")]),
        "silent": PatientFacts(TODAY, sessions=[SessionFact(ago(5))]),
    }
    order = sorted(people, key=lambda n: sort_key(reasons(people[n]), silent_days(people[n]), n))
    assert order == ["recheck", "jump", "peg", "hurt", "silent"]
    (recheck,) = reasons(people["recheck"])
    assert (recheck.kind, recheck.severity, recheck.day) == ("recheck", Severity.RED_FLAG, ago(1))


def test_a_jump_of_three_in_one_session_or_sharp_pain_is_a_pain_jump():
    (jump,) = [r for r in reasons(PatientFacts(TODAY, sessions=[SessionFact(ago(1), 6, 9)]))]
    assert (jump.kind, jump.values, jump.day) == ("pain_jump", (6.0, 9.0), ago(1))
    assert kinds(PatientFacts(TODAY, sessions=[SessionFact(ago(1), 6, 8)])) == []
    assert (
        kinds(PatientFacts(TODAY, sessions=[SessionFact(ago(7), 2, 9), SessionFact(ago(0))])) == []
    )
    sharp = reasons(PatientFacts(TODAY, sessions=daily(), hurts=[HurtFact(ago(2), "sharp")]))
    assert [(r.kind, r.detail) for r in sharp] == [("pain_jump", "sharp"), ("hurt", "sharp")]


@pytest.mark.parametrize(
    ("scores", "worse"),
    [
        ((4, 4, 4, 6), True),  # two points
        ((4, 4, 4, 5.1), False),  # 28 %
        ((3, 3, 3, 4), True),  # a third more, and a whole point
        ((2, 2, 2.6), False),  # 30 % of a small score is less than a point
        ((6, 6, 6, 2), False),  # better, not worse
        ((5,), False),  # nothing to compare with
        ((1, 1, 1, 8, 8, 8, 9), False),  # compared with the three readings before it only
    ],
)
def test_a_weekly_peg_is_worse_when_the_change_is_one_people_notice(scores, worse):
    pegs = [PegFact(ago(7 * (len(scores) - 1 - n)), s) for n, s in enumerate(scores)]
    found = kinds(PatientFacts(TODAY, sessions=daily(), pegs=pegs))
    assert found == (["peg_worse"] if worse else [])


def test_a_worse_peg_is_old_news_after_two_weeks():
    pegs = [PegFact(ago(28), 3), PegFact(ago(21), 3), PegFact(ago(14), 7)]
    assert kinds(PatientFacts(TODAY, sessions=daily(), pegs=pegs)) == []
    (reason,) = reasons(
        PatientFacts(TODAY, sessions=daily(), pegs=[*pegs[:2], PegFact(ago(13), 7)])
    )
    assert reason.values == (3.0, 7.0)


def test_dealt_with_clears_a_reason_until_a_new_fact_arrives():
    facts = dict(today=TODAY, sessions=[SessionFact(ago(1), 6, 9)], hurts=[HurtFact(ago(1), "lot")])
    marked = [Dealt("pain_jump", NOON)]
    assert kinds(PatientFacts(**facts, dealt=marked, latest_fact_at=NOON - timedelta(hours=1))) == [
        "hurt"
    ]
    assert kinds(
        PatientFacts(**facts, dealt=marked, latest_fact_at=NOON + timedelta(minutes=1))
    ) == ["pain_jump", "hurt"]
    assert kinds(PatientFacts(**facts, dealt=marked)) == ["hurt"]


def test_a_red_flag_that_locks_the_routine_is_never_dealt_with_away():
    marked = [Dealt("red_flag", NOON)]
    locked = PatientFacts(
        TODAY, sessions=daily(), screen_urgency="emergency", screen_day=ago(1), dealt=marked
    )
    assert kinds(locked) == ["red_flag"]
    said = PatientFacts(
        TODAY,
        sessions=daily(),
        screen_urgency="emergency",
        screen_day=ago(1),
        screen_cleared=True,
        dealt=marked,
    )
    assert kinds(said) == []
    by_clinician = PatientFacts(
        TODAY,
        sessions=daily(),
        screen_urgency="emergency",
        screen_day=ago(1),
        screen_cleared=True,
        screen_cleared_by_clinician=True,
    )
    assert kinds(by_clinician) == []
