"""How a routine and a patient's practice read on a page: the routine's lines with their
dosage, its length, and the streak in words. Used by Today, the clinician's patient page and
the printed handout."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.library.models import Exercise
from backstretch.library.schema import Dosage, Sides
from backstretch.library.vocabulary import POSITION_HEADINGS, dosage_short, sided_limb
from backstretch.routines.timeline import RoutineItem, things_to_have

from . import stats


@dataclass(frozen=True)
class RoutineLine:
    item: RoutineItem
    exercise: Exercise
    position_label: str
    dosage: str


def routine_lines(items: list[RoutineItem]) -> list[RoutineLine]:
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=[i.exercise for i in items])}
    lines = []
    for item in items:
        exercise = exercises[item.exercise]
        dosage = Dosage(
            hold_seconds=item.hold_seconds,
            repetitions=item.repetitions,
            sides=Sides(item.sides),
            rest_seconds=item.rest_seconds,
        )
        limb = sided_limb(list(exercise.spec.positions.values()))
        label = str(POSITION_HEADINGS.get(item.position, item.position))
        lines.append(RoutineLine(item, exercise, label, dosage_short(dosage, limb)))
    return lines


def needs_text(items: list[RoutineItem]) -> str:
    """What to have ready for the whole routine, each thing once in the order it is first
    needed ("a mat, a towel or a belt and comfortable shoes"), or "" when nothing is."""
    needs = list(dict.fromkeys(need for item in items for need in item.voice.needs))
    return things_to_have(needs, _) if needs else ""


def about_minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}


def streak_words(streak: stats.WeeklyStreak) -> str:
    """ "3 of 5 days this week · 4 weeks in a row" (the second part once there is a streak)."""
    if streak.days_this_week == 0 and streak.weeks == 0:
        return _("Aim for %(target)d days this week") % {"target": streak.target}
    days = _("%(done)d of %(target)d days this week") % {
        "done": min(streak.days_this_week, 7),
        "target": streak.target,
    }
    if streak.weeks == 0:
        return days
    weeks = ngettext("%(n)d week in a row", "%(n)d weeks in a row", streak.weeks) % {
        "n": streak.weeks
    }
    return f"{days} · {weeks}"
