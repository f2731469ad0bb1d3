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
