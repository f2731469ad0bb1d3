"""Who needs a call: the dashboard's rules, from plain facts about one patient. Pure (no Django).

A view gathers the facts (dates are the patient's own local dates) and turns each ``Reason``
into words; this module only decides. Severity orders the rules: a red-flag answer that needs
a clinician outranks a "this hurts" press, which outranks rising pain (after a session, or
over the weeks), which outranks silence, which outranks an overdue review. Patients sort by
their most severe reason, then by how long they have been silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum
from functools import cached_property
from typing import NamedTuple

HURT_WINDOW_DAYS = 7
PAIN_WINDOW_DAYS = 7
PAIN_RISE_POINTS = 2  # after minus before, per session
PAIN_RISE_SESSIONS = 2  # "more than once"
SILENT_DAYS = 3
TREND_RISE_POINTS = 1.5  # this week's average pain over the three weeks before
TREND_MIN_SCORES = 2  # in each of the two periods
URGENT_SCREENS = frozenset({"emergency", "prompt"})
SAYS_CLEARED_DAYS = 14  # a red flag the patient says is cleared stays this long
HURT_ORDER = {"little": 0, "lot": 1, "sharp": 2}


class Severity(IntEnum):
    REVIEW = 1
    SILENT = 2
    PAIN = 3
    HURT = 4
    RED_FLAG = 5


class SessionFact(NamedTuple):  # a tuple: thousands are made per dashboard, and cheaply hashed
    day: date
    pain_before: int | None = None
    pain_after: int | None = None
    hurts: int = 0


class HurtFact(NamedTuple):
    day: date
    severity: str  # little | lot | sharp


@dataclass(frozen=True)
class PatientFacts:
    today: date
    sessions: Sequence[SessionFact] = ()
    hurts: Sequence[HurtFact] = ()
    last_session: date | None = None  # may be older than the sessions given
    started: date | None = None  # when the patient's routine began (silence counts from here)
    screen_urgency: str | None = None  # latest red-flag screen: emergency | prompt | clear
    screen_day: date | None = None
    screen_cleared: bool = False
    review_date: date | None = None
    planned_days: frozenset[int] = field(default_factory=lambda: frozenset(range(7)))
    times_per_day: int = 1

    @cached_property
    def last_day(self) -> date | None:
        """The latest session up to today (asked by several rules; worked out once)."""
        return _last_day(self)


@dataclass(frozen=True)
class Reason:
    """Why to call: ``kind`` names the rule; ``day``/``count``/``detail`` fill its sentence."""

    kind: str  # red_flag | hurt | pain_rose | pain_trend | silent | review_due
    severity: Severity
    day: date | None = None
    count: int = 0
    detail: str = ""
    values: tuple[float, ...] = ()  # pain_trend: (average before, average this week)


def last_practised(facts: PatientFacts) -> date | None:
    return facts.last_day


def _last_day(facts: PatientFacts) -> date | None:
    days = [s.day for s in facts.sessions if s.day <= facts.today]
    if facts.last_session is not None and facts.last_session <= facts.today:
        days.append(facts.last_session)
    return max(days, default=None)


def silent_days(facts: PatientFacts) -> int | None:
    """Whole days since the last session (0 = practised today); None if nothing to count from."""
    since = last_practised(facts) or facts.started
    if since is None:
        return None
    return max(0, (facts.today - since).days)


def _red_flag(facts: PatientFacts) -> Reason | None:
    if facts.screen_urgency not in URGENT_SCREENS:
        return None
    if not facts.screen_cleared:
        return Reason(
            "red_flag", Severity.RED_FLAG, day=facts.screen_day, detail=facts.screen_urgency or ""
        )
    # "I have been cleared" is the patient's own word: their clinician still hears of it for
    # a while, so no one clears a red flag off the dashboard by themselves.
    if facts.screen_day is not None and (facts.today - facts.screen_day).days < SAYS_CLEARED_DAYS:
        return Reason("red_flag", Severity.RED_FLAG, day=facts.screen_day, detail="says_cleared")
    return None


def _hurt(facts: PatientFacts) -> Reason | None:
    start = facts.today - timedelta(days=HURT_WINDOW_DAYS - 1)
    recent = [h for h in facts.hurts if start <= h.day <= facts.today]
    if not recent:
        return None
    worst = max(recent, key=lambda h: (HURT_ORDER.get(h.severity, 0), h.day))
    return Reason("hurt", Severity.HURT, day=worst.day, count=len(recent), detail=worst.severity)


def _pain_rose(facts: PatientFacts) -> Reason | None:
    start = facts.today - timedelta(days=PAIN_WINDOW_DAYS - 1)
    rises = [
        s
        for s in facts.sessions
        if start <= s.day <= facts.today
        and s.pain_before is not None
        and s.pain_after is not None
        and s.pain_after - s.pain_before >= PAIN_RISE_POINTS
    ]
    if len(rises) < PAIN_RISE_SESSIONS:
        return None
    return Reason("pain_rose", Severity.PAIN, day=max(s.day for s in rises), count=len(rises))


def _scores(facts: PatientFacts, first: date, last: date) -> list[int]:
    scores = []
    for s in facts.sessions:
        if first <= s.day <= last:
            scores += [p for p in (s.pain_before, s.pain_after) if p is not None]
    return scores


def _pain_trend(facts: PatientFacts) -> Reason | None:
    """Pain this week clearly above the three weeks before (both before and after scores)."""
    week_start = facts.today - timedelta(days=PAIN_WINDOW_DAYS - 1)
    recent = _scores(facts, week_start, facts.today)
    earlier = _scores(facts, week_start - timedelta(days=21), week_start - timedelta(days=1))
    if len(recent) < TREND_MIN_SCORES or len(earlier) < TREND_MIN_SCORES:
        return None
    now, before = sum(recent) / len(recent), sum(earlier) / len(earlier)
    if now - before < TREND_RISE_POINTS:
        return None
    return Reason("pain_trend", Severity.PAIN, values=(before, now))


def _silent(facts: PatientFacts) -> Reason | None:
    days = silent_days(facts)
    if days is None or days < SILENT_DAYS:
        return None
    return Reason("silent", Severity.SILENT, day=last_practised(facts), count=days)


def _review_due(facts: PatientFacts) -> Reason | None:
    if facts.review_date is None or facts.review_date >= facts.today:
        return None
    return Reason("review_due", Severity.REVIEW, day=facts.review_date)


RULES = (_red_flag, _hurt, _pain_rose, _pain_trend, _silent, _review_due)


def reasons(facts: PatientFacts) -> list[Reason]:
    """Every reason to call this patient, most severe first (empty: on track)."""
    found = [reason for rule in RULES if (reason := rule(facts)) is not None]
    return sorted(found, key=lambda r: -r.severity)


def sort_key(found: Sequence[Reason], silence: int | None, name: str = "") -> tuple[int, int, str]:
    """Most urgent first, then the longest silence (never practised counts as longest)."""
    top = max((r.severity for r in found), default=0)
    return (-top, -(silence if silence is not None else 10_000), name.casefold())
