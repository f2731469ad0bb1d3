"""Printables: a patient's routine as a paper handout, and a progress report for the next visit.

Both pages read well on screen and print on one or two sheets (``static/css/print.css``).
Views stay thin: an access check, then plain helpers that gather what the template shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import segno
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import user_of
from backstretch.library.models import Exercise
from backstretch.library.schema import Dosage, PositionVariant, Sides
from backstretch.library.vocabulary import POSITION_HEADINGS, SIDE_WORDS, dosage_words, sided_limb
from backstretch.links import absolute_url
from backstretch.practice import charts, stats
from backstretch.practice.decorators import practice_allowed
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.practice.wording import about_minutes
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline, format_clock
from backstretch.safety import redflags
from backstretch.safety.models import RedFlagScreen

from .services import audit

DEFAULT_REPORT_DAYS = 28
# The report stays on one or two sheets: longer lists show their most recent entries. One
# red-flag screen in full: with sixteen questions, two all-yes screens no longer fit.
MOST_HURTS, MOST_SCREENS, MOST_CHANGES = 10, 1, 8
SHORTEST_REPORT_DAYS = 7
LONGEST_REPORT_DAYS = 365


# --- The handout ------------------------------------------------------------------------------


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
    """A QR code for ``url`` as inline SVG, black on white with its quiet zone."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr",
        omitsize=True,
        title=_("QR code: today's routine on your phone"),
    )
    return mark_safe(svg)  # segno escapes the title; the rest is its own path data


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
        schedule=_("%(days)s, %(times)s")
        % {
            "days": weekday_words(version.days),
            "times": times_a_day_words(version.times_per_day),
        },
        duration=about_minutes(seconds),
        clock=format_clock(seconds),
        exercises=handout_exercises(version),
        today_url=today_url,
        qr=qr_code(today_url),
    )
    return context


@login_required
@require_safe
def handout(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    if profile.clinic is not None:
        audit(user, profile.user, profile.clinic, "print", "handout")
    return render(request, "clinic/handout.html", handout_context(request, profile))


@practice_allowed
def my_handout(request: HttpRequest) -> HttpResponse:
    """The patient's own copy: same page, no clinician portal involved."""
    profile = user_of(request).patient
    context = handout_context(request, profile) | {"own": True}
    return render(request, "clinic/handout.html", context)


# --- The progress report ----------------------------------------------------------------------


def parse_days(raw: str | None) -> tuple[int, str]:
    """The report's length in days and, for a value we cannot use, the message to show."""
    if raw is None or raw.strip() == "":
        return DEFAULT_REPORT_DAYS, ""
    problem = _(
        "“%(value)s” is not a period we can show: choose a whole number of days from "
        "%(low)d to %(high)d. Showing the last %(default)d days instead."
    ) % {
        "value": raw[:20],
        "low": SHORTEST_REPORT_DAYS,
        "high": LONGEST_REPORT_DAYS,
        "default": DEFAULT_REPORT_DAYS,
    }
    try:
        days = int(raw.strip())
    except ValueError:
        return DEFAULT_REPORT_DAYS, problem
    if not SHORTEST_REPORT_DAYS <= days <= LONGEST_REPORT_DAYS:
        return DEFAULT_REPORT_DAYS, problem
    return days, ""


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def version_schedule(
    versions: list[RoutineVersion], zone: ZoneInfo, first_used: dict[int, date] | None = None
) -> list[tuple[date, list[int]]]:
    """Each version's (first day in force, weekdays), in the order they were saved, for
    ``stats.planned_days``.

    A version is in force from the day it was saved, or from the first session that followed
    it if that came earlier (imported or demo histories), until the next version takes over.
    """
    used = first_used or {}
    saved = sorted(versions, key=lambda v: v.created_at)
    return [(min(_local_date(v.created_at, zone), used.get(v.pk, date.max)), v.days) for v in saved]


def first_sessions(versions: list[RoutineVersion]) -> dict[int, date]:
    """Each version's first practised day (versions never practised are left out)."""
    rows = (
        PracticeSession.objects.filter(routine_version__in=versions)
        .values("routine_version")
        .annotate(first=Min("local_date"))
    )
    return {row["routine_version"]: row["first"] for row in rows}


def _average(values: list[int]) -> float | None:
    return round(mean(values), 1) if values else None


@dataclass(frozen=True)
class PainTrend:
    first_week: float | None
    last_week: float | None

    @property
    def change(self) -> float | None:
        if self.first_week is None or self.last_week is None:
            return None
        return round(self.last_week - self.first_week, 1)


def pain_trend(scores: list[tuple[date, int | None]], last: date) -> PainTrend:
    """Average pain before sessions in the first week with scores and in the last 7 days.

    No trend while those two weeks overlap, that is with less than two weeks of scores.
    """
    known = [(day, pain) for day, pain in scores if pain is not None]
    if not known:
        return PainTrend(None, None)
    first_week_ends = min(day for day, _pain in known) + timedelta(days=6)
    last_week_starts = last - timedelta(days=6)
    if first_week_ends >= last_week_starts:
        return PainTrend(None, None)
    return PainTrend(
        _average([pain for day, pain in known if day <= first_week_ends]),
        _average([pain for day, pain in known if day >= last_week_starts]),
    )


@dataclass(frozen=True)
class HurtLine:
    report: HurtReport
    exercise_name: str

    @property
    def side(self) -> str:
        return str(SIDE_WORDS.get(self.report.side, ""))


@dataclass(frozen=True)
class FlaggedScreen:
    screen: RedFlagScreen
    questions: list[redflags.Question]


def report_context(profile: PatientProfile, days: int) -> dict[str, object]:
    patient = profile.user
    zone = patient.zone
    last = patient.today()
    first = last - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=zone)

    sessions = list(
        PracticeSession.objects.filter(
            patient=patient, local_date__gte=first, local_date__lte=last
        ).order_by("local_date", "started_at")
    )
    practised = {s.local_date for s in sessions}
    routines = list(Routine.objects.filter(patient=patient))
    versions = list(
        RoutineVersion.objects.filter(routine__in=routines)
        .select_related("routine", "created_by")
        .order_by("created_at")
    )
    # As on the dashboard: today is not a miss before it is over.
    planned = set(
        stats.planned_days(
            version_schedule(versions, zone, first_sessions(versions)),
            first,
            stats.counted_until(practised, last),
        )
    )
    pain = charts.pain_days((s.local_date, s.pain_before, s.pain_after) for s in sessions)
    summary = charts.pain_summary(pain, last)
    hurts = list(
        HurtReport.objects.filter(patient=patient, reported_at__gte=since).order_by("reported_at")
    )
    names = dict(
        Exercise.objects.filter(slug__in={h.exercise for h in hurts}).values_list("slug", "name")
    )
    screens = RedFlagScreen.objects.filter(user=patient, answered_at__gte=since)
    flagged = [
        FlaggedScreen(screen, redflags.flagged(screen.answers))
        for screen in screens.order_by("answered_at")
        if redflags.flagged(screen.answers)
    ]
    rate = stats.adherence(practised, planned)
    changes = [v for v in versions if v.created_at >= since]
    return {
        "patient": patient,
        "clinic": profile.clinic,
        "clinician": profile.clinician,
        "days": days,
        "first": first,
        "last": last,
        "printed_on": last,
        "planned": len(planned),
        "practised_planned": len(practised & planned),
        "practised_days": len(practised),
        "adherence_percent": round(rate * 100) if rate is not None else None,
        "session_count": len(sessions),
        "completed_count": sum(1 for s in sessions if s.completed),
        "minutes": round(sum(s.minutes for s in sessions)),
        "pain_before": _average([s.pain_before for s in sessions if s.pain_before is not None]),
        "pain_after": _average([s.pain_after for s in sessions if s.pain_after is not None]),
        "trend": pain_trend([(s.local_date, s.pain_before) for s in sessions], last),
        "pain_summary": summary,
        # From the first score, as on the history page: a long period keeps the points apart.
        "pain_chart": charts.pain_chart_svg(pain, pain[0].day, last, summary) if pain else "",
        "hurts": [HurtLine(h, names.get(h.exercise, h.exercise)) for h in hurts[-MOST_HURTS:]],
        "hurts_left_out": max(0, len(hurts) - MOST_HURTS),
        "flagged_screens": flagged[-MOST_SCREENS:],
        "screens_left_out": max(0, len(flagged) - MOST_SCREENS),
        "changes": changes[-MOST_CHANGES:],
        "changes_left_out": max(0, len(changes) - MOST_CHANGES),
        "day_choices": (7, 14, 28, 56, 91),
    }


@login_required
@require_safe
def report(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    days, problem = parse_days(request.GET.get("days"))
    if profile.clinic is not None:
        audit(user, profile.user, profile.clinic, "view", "progress report")
    context = report_context(profile, days) | {"problem": problem}
    return render(request, "clinic/report.html", context, status=400 if problem else 200)
