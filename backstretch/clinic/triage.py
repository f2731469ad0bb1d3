"""Who needs a call: the dashboard's rules, from plain facts about one patient. Pure (no Django).

A view gathers the facts (dates are the patient's own local dates) and turns each ``Reason``
into words; this module only decides. Severity orders the rules: a red-flag answer that needs
a clinician, or red-flag questions the patient still has to answer again, come first; then a
jump in pain within one session (3+ points before to after, or sharp pain reported); then a
weekly PEG score noticeably worse than the readings before it (``outcomes.scoring``: about 2
points or 30 %); then a "this hurts" press, rising pain (after sessions, or over the weeks),
silence, and an overdue review. Patients sort by their most severe reason, then by how long
they have been silent.

A clinician may mark a reason "dealt with": it stays off until a new fact about the patient
arrives after the mark (a session, a "this hurts" report, a check-in or red-flag answers). A
red flag that locks the routine is never marked away: the clinician clears the lock instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum
from functools import cached_property
from typing import NamedTuple

from backstretch.outcomes.scoring import peg_worsening
from backstretch.safety.stop_rules import RESCREEN_JUMP

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
JUMP_WINDOW_DAYS = 7
PEG_RECENT_DAYS = 14  # the latest check-in is news for two weeks
PEG_WINDOW_DAYS = 42  # the readings it is compared with (weekly: up to three before it)


class Severity(IntEnum):
    REVIEW = 1
    SILENT = 2
    PAIN = 3
    HURT = 4
    PEG = 5
    PAIN_JUMP = 6
    RED_FLAG = 7


class SessionFact(NamedTuple):  # a tuple: thousands are made per dashboard, and cheaply hashed
    day: date
    pain_before: int | None = None
    pain_after: int | None = None
    hurts: int = 0


class HurtFact(NamedTuple):
    day: date
    severity: str  # little | lot | sharp


class PegFact(NamedTuple):
    day: date
    score: float  # an answered weekly check-in (0-10)


class Dealt(NamedTuple):
    kind: str  # the Reason.kind a clinician marked dealt with
    at: datetime


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
    screen_cleared_by_clinician: bool = False
    recheck_day: date | None = None  # asked the red-flag questions again; not answered yet
    pegs: Sequence[PegFact] = ()
    dealt: Sequence[Dealt] = ()
    latest_fact_at: datetime | None = None  # when the newest fact about the patient arrived
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

    kind: str  # red_flag | recheck | pain_jump | peg_worse | hurt | pain_rose | pain_trend
    #            | silent | review_due
    severity: Severity
    day: date | None = None
    count: int = 0
    detail: str = ""
    # pain_trend: (average before, average this week); pain_jump: (before, after);
    # peg_worse: (the earlier readings' mean, the latest)
    values: tuple[float, ...] = ()

    @property
    def may_be_dealt_with(self) -> bool:
        """Every reason but a red flag that still locks the routine (its lock is cleared)."""
        return not (self.kind == "red_flag" and self.detail in URGENT_SCREENS)


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
    if facts.screen_cleared_by_clinician:
        return None  # a clinician of the clinic cleared it: they know
    # "I have been cleared" is the patient's own word: their clinician still hears of it for
    # a while, so no one clears a red flag off the dashboard by themselves.
    if facts.screen_day is not None and (facts.today - facts.screen_day).days < SAYS_CLEARED_DAYS:
        return Reason("red_flag", Severity.RED_FLAG, day=facts.screen_day, detail="says_cleared")
    return None


def _rises(facts: PatientFacts, days: int, points: int) -> list[SessionFact]:
    """Sessions of the last ``days`` days whose pain went up by ``points`` or more."""
    start = facts.today - timedelta(days=days - 1)
    return [
        s
        for s in facts.sessions
        if start <= s.day <= facts.today
        and s.pain_before is not None
        and s.pain_after is not None
        and s.pain_after - s.pain_before >= points
    ]


def _recheck(facts: PatientFacts) -> Reason | None:
    if facts.recheck_day is None:
        return None
    return Reason("recheck", Severity.RED_FLAG, day=facts.recheck_day)


def _pain_jump(facts: PatientFacts) -> Reason | None:
    """The latest session this week whose pain rose 3+ points, else the latest sharp pain."""
    start = facts.today - timedelta(days=JUMP_WINDOW_DAYS - 1)
    jumps = _rises(facts, JUMP_WINDOW_DAYS, RESCREEN_JUMP)
    if jumps:
        worst = max(jumps, key=lambda s: (s.day, (s.pain_after or 0) - (s.pain_before or 0)))
        values = (float(worst.pain_before or 0), float(worst.pain_after or 0))
        return Reason("pain_jump", Severity.PAIN_JUMP, day=worst.day, values=values)
    sharp = [h.day for h in facts.hurts if h.severity == "sharp" and start <= h.day <= facts.today]
    if sharp:
        return Reason("pain_jump", Severity.PAIN_JUMP, day=max(sharp), detail="sharp")
    return None


def _peg_worse(facts: PatientFacts) -> Reason | None:
    first = facts.today - timedelta(days=PEG_WINDOW_DAYS - 1)
    readings = sorted(p for p in facts.pegs if first <= p.day <= facts.today)
    if not readings or (facts.today - readings[-1].day).days >= PEG_RECENT_DAYS:
        return None
    worse = peg_worsening([p.score for p in readings])
    if worse is None:
        return None
    return Reason("peg_worse", Severity.PEG, day=readings[-1].day, values=worse)


def _hurt(facts: PatientFacts) -> Reason | None:
    start = facts.today - timedelta(days=HURT_WINDOW_DAYS - 1)
    recent = [h for h in facts.hurts if start <= h.day <= facts.today]
    if not recent:
        return None
    worst = max(recent, key=lambda h: (HURT_ORDER.get(h.severity, 0), h.day))
    return Reason("hurt", Severity.HURT, day=worst.day, count=len(recent), detail=worst.severity)


def _pain_rose(facts: PatientFacts) -> Reason | None:
    rises = _rises(facts, PAIN_WINDOW_DAYS, PAIN_RISE_POINTS)
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


RULES = (
    _red_flag,
    _recheck,
    _pain_jump,
    _peg_worse,
    _hurt,
    _pain_rose,
    _pain_trend,
    _silent,
    _review_due,
)


def dealt_with(facts: PatientFacts) -> frozenset[str]:
    """Kinds of reason marked dealt with after the newest fact about the patient."""
    newest = facts.latest_fact_at
    return frozenset(mark.kind for mark in facts.dealt if newest is None or mark.at >= newest)


def reasons(facts: PatientFacts) -> list[Reason]:
    """Every reason to call this patient, most severe first (empty: on track)."""
    found = [reason for rule in RULES if (reason := rule(facts)) is not None]
    if facts.dealt:
        done = dealt_with(facts)
        found = [r for r in found if not (r.kind in done and r.may_be_dealt_with)]
    return sorted(found, key=lambda r: -r.severity)


def sort_key(found: Sequence[Reason], silence: int | None, name: str = "") -> tuple[int, int, str]:
    """Most urgent first, then the longest silence (never practised counts as longest)."""
    top = max((r.severity for r in found), default=0)
    return (-top, -(silence if silence is not None else 10_000), name.casefold())
