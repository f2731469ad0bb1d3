"""Scoring of the weekly PEG check-in and the STarT Back screening tool. Pure, no Django.

Facts from docs/CLINICAL.md §3.3. PEG: three items 0–10, score = their mean; no severity bands
(none are official). STarT Back: items 1–8 agree (1) / disagree (0); item 9 is a five-point
bothersomeness scale whose top two answers count 1. Overall score = all nine (0–9); distress
sub-score = items 5–9 (0–5). Low risk: overall 0–3; high risk: distress 4–5; else medium.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

PEG_INTERVAL = timedelta(days=7)
START_BACK_ITEMS = 9
BOTHERSOME_CHOICES = 5  # 0 not at all, 1 slightly, 2 moderately, 3 very much, 4 extremely
BOTHERSOME_POSITIVE = 3  # "very much" or "extremely"
DISTRESS_ITEMS = range(4, 9)  # items 5–9, counted from 0


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    values = (pain, enjoyment, activity)
    for value in values:
        if not 0 <= value <= 10:
            raise ValueError(f"each PEG item is 0 to 10, got {value}")
    return round(sum(values) / 3, 1)


def peg_due(checkin_days: Iterable[date], today: date) -> bool:
    """Due when nothing (answer or skip) was recorded in the last seven days, today included."""
    recent = [day for day in checkin_days if day <= today]
    return not recent or today - max(recent) >= PEG_INTERVAL


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class StartBackResult:
    overall: int
    distress: int
    risk: Risk


def start_back_score(answers: Sequence[int]) -> StartBackResult:
    """``answers``: items 1–8 as 0/1, item 9 as 0–4."""
    if len(answers) != START_BACK_ITEMS:
        raise ValueError(f"STarT Back has {START_BACK_ITEMS} answers, got {len(answers)}")
    for number, value in enumerate(answers[:8], start=1):
        if value not in (0, 1):
            raise ValueError(f"item {number} is agree (1) or disagree (0), got {value}")
    if not 0 <= answers[8] < BOTHERSOME_CHOICES:
        raise ValueError(f"item 9 is 0 to {BOTHERSOME_CHOICES - 1}, got {answers[8]}")
    points = [*answers[:8], 1 if answers[8] >= BOTHERSOME_POSITIVE else 0]
    overall = sum(points)
    distress = sum(points[i] for i in DISTRESS_ITEMS)
    if overall <= 3:
        risk = Risk.LOW
    elif distress >= 4:
        risk = Risk.HIGH
    else:
        risk = Risk.MEDIUM
    return StartBackResult(overall, distress, risk)


# --- Change people notice ------------------------------------------------------------------
# On a 0-10 pain scale a change of about 2 points, or of about 30 % of where it started, is the
# smallest one people with back pain notice (docs/CLINICAL.md §3.3). The PEG is three such
# scales averaged, so the same reading applies. A 30 % change of a small score is tiny (30 % of
# 2 is 0.6), so the relative reading also needs at least one whole point.
MEANINGFUL_POINTS = 2.0
MEANINGFUL_SHARE = 0.3
MEANINGFUL_SHARE_FLOOR = 1.0
PEG_BASELINE_READINGS = 3  # the earlier readings a new one is compared with


class Change(StrEnum):
    WORSE = "worse"
    BETTER = "better"
    SAME = "same"  # a change people do not usually notice


def meaningful_change(before: float, after: float) -> Change:
    """Whether ``before`` to ``after`` (0-10) is a change people notice, and which way."""
    rise = after - before
    size = abs(rise)
    relative = before > 0 and size >= MEANINGFUL_SHARE * before and size >= MEANINGFUL_SHARE_FLOOR
    if size < MEANINGFUL_POINTS and not relative:
        return Change.SAME
    return Change.WORSE if rise > 0 else Change.BETTER


def peg_baseline(scores: Sequence[float]) -> float | None:
    """The mean of up to three readings before the latest (oldest first); None: too few."""
    earlier = list(scores[:-1])[-PEG_BASELINE_READINGS:]
    if not earlier:
        return None
    return round(sum(earlier) / len(earlier), 1)


def peg_worsening(scores: Sequence[float]) -> tuple[float, float] | None:
    """(baseline, latest) when the latest PEG score is a noticeable change for the worse
    against the earlier ones (``scores`` oldest first, answered check-ins only)."""
    baseline = peg_baseline(scores)
    if baseline is None:
        return None
    latest = scores[-1]
    if meaningful_change(baseline, latest) != Change.WORSE:
        return None
    return baseline, latest
