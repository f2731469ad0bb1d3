"""What the paper handout shows: the current routine, its schedule, and a QR code to Today."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.accounts.models import PatientProfile
from backstretch.library.models import Exercise
from backstretch.library.schema import Dosage, PositionVariant, Sides
from backstretch.library.vocabulary import POSITION_HEADINGS, dosage_words, sided_limb
from backstretch.links import absolute_url, qr_svg
from backstretch.practice.wording import about_minutes
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline, format_clock


@dataclass(frozen=True)
class HandoutExercise:
    number: int
    exercise: Exercise
    position: str
    position_label: str
    variant: PositionVariant
    dosage: str
    note: str
    cautions: list[str]


def weekday_words(days: list[int]) -> str:
    """ "Every day", "Monday to Friday", or the days by name: "Monday, Wednesday and Friday"."""
    chosen = sorted(set(days))
    if chosen == list(range(7)) or not chosen:
        return _("Every day")
    if chosen == list(range(5)):
        return _("Monday to Friday")
    names = [str(WEEKDAYS[day]) for day in chosen]
    if len(names) == 1:
        return names[0]
    return _("%(head)s and %(last)s") % {"head": ", ".join(names[:-1]), "last": names[-1]}


def times_a_day_words(times: int) -> str:
    if times == 1:
        return _("once a day")
    if times == 2:
        return _("twice a day")
    return ngettext("%(n)d time a day", "%(n)d times a day", times) % {"n": times}


def schedule_words(version: RoutineVersion) -> str:
    """ "Monday, Wednesday and Friday, twice a day"."""
    return _("%(days)s, %(times)s") % {
        "days": weekday_words(version.days),
        "times": times_a_day_words(version.times_per_day),
    }


def handout_exercises(version: RoutineVersion) -> list[HandoutExercise]:
    slugs = [item["exercise"] for item in version.items]
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    lines = []
    for number, item in enumerate(version.routine_items(), start=1):
        exercise = exercises[item.exercise]
        spec = exercise.spec
        dosage = Dosage(
            hold_seconds=item.hold_seconds,
            repetitions=item.repetitions,
            sides=Sides(item.sides),
            rest_seconds=item.rest_seconds,
        )
        limb = sided_limb(list(spec.positions.values()))
        variant = next(v for p, v in spec.positions.items() if p.value == item.position)
        lines.append(
            HandoutExercise(
                number=number,
                exercise=exercise,
                position=item.position,
                position_label=str(POSITION_HEADINGS.get(item.position, item.position)),
                variant=variant,
                dosage=dosage_words(dosage, limb, exercise.kind),
                note=item.note.strip(),
                cautions=list(spec.cautions),
            )
        )
    return lines


def qr_code(url: str) -> SafeString:
    """A QR code for ``url`` as inline SVG."""
    return qr_svg(url, _("QR code: today's routine on your phone"))


def handout_context(request: HttpRequest, profile: PatientProfile) -> dict[str, object]:
    patient = profile.user
    routine = active_routine(patient)
    context: dict[str, object] = {
        "patient": patient,
        "clinic": profile.clinic,
        "clinician": profile.clinician,
        "printed_on": patient.today(),
        "routine": routine,
    }
    if routine is None:
        return context
    version = routine.current
    seconds = compile_timeline(version.routine_items(), translate=_).total_seconds
    today_url = absolute_url(reverse("practice:today"), request)
    context.update(
        version=version,
        schedule=schedule_words(version),
        duration=about_minutes(seconds),
        clock=format_clock(seconds),
        exercises=handout_exercises(version),
        today_url=today_url,
        qr=qr_code(today_url),
    )
    return context
