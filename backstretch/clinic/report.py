"""What the progress report for the next visit shows, gathered for one patient and period.

Practice and adherence, pain before and after sessions, the weekly check-in (PEG) and the
STarT Back group, the routine as prescribed now, "this hurts" reports, red-flag answers, the
patient's notes and messages, and routine changes. Trends say whether a change is one people
notice (``outcomes.scoring.meaningful_change``), not only which way it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils.translation import gettext as _

from backstretch.accounts.models import PatientProfile, User
from backstretch.library.models import exercise_names
from backstretch.library.vocabulary import SIDE_WORDS
from backstretch.messaging.models import Message
from backstretch.outcomes import services as outcomes
from backstretch.outcomes.charts import peg_chart_svg, peg_summary
from backstretch.outcomes.scoring import Change, meaningful_change
from backstretch.practice import charts, stats
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.safety import redflags
from backstretch.safety.models import RedFlagScreen

from .handout import handout_exercises, schedule_words

DEFAULT_REPORT_DAYS = 28
# The report stays on one or two sheets: longer lists show their most recent entries. One
# red-flag screen in full: with sixteen questions, two all-yes screens no longer fit.
MOST_HURTS, MOST_SCREENS, MOST_CHANGES, MOST_WORDS = 10, 1, 8, 5
SHORTEST_REPORT_DAYS = 7
LONGEST_REPORT_DAYS = 365
LONGEST_QUOTE = 200  # characters of one note or message on paper; the thread has the rest


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


def change_words(before: float, after: float) -> str:
    """Which way a 0-10 score went, and whether people would notice a change that size."""
    reading = meaningful_change(before, after)
    if reading == Change.BETTER:
        return _("Better, by a change people notice (2 points or 30 % or more).")
    if reading == Change.WORSE:
        return _("Worse, by a change people notice (2 points or 30 % or more).")
    if after == before:
        return _("No change.")
    if after < before:
        return _("Lower, but by less than people usually notice (2 points or 30 %).")
    return _("Higher, but by less than people usually notice (2 points or 30 %).")


@dataclass(frozen=True)
class PainTrend:
    first_week: float | None
    last_week: float | None

    @property
    def change(self) -> float | None:
        if self.first_week is None or self.last_week is None:
            return None
        return round(self.last_week - self.first_week, 1)

    @property
    def reading(self) -> str:
        if self.first_week is None or self.last_week is None:
            return ""
        return change_words(self.first_week, self.last_week)


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
class PegTrend:
    """The weekly check-ins answered in the period: a chart, a summary, and a reading."""

    count: int
    chart: str
    summary: str
    reading: str


def peg_trend(patient: User, first: date, last: date) -> PegTrend:
    points = [p for p in outcomes.peg_points(patient, first) if p[0] <= last]
    summary = peg_summary(points)
    chart = peg_chart_svg(points, points[0][0], last, summary, "report-peg") if points else ""
    reading = change_words(points[0][1], points[-1][1]) if len(points) > 1 else ""
    return PegTrend(len(points), chart, summary, reading)


@dataclass(frozen=True)
class Said:
    """A session note or a message, as the report quotes it."""

    when: datetime
    from_patient: bool
    who: str
    is_note: bool
    text: str


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONGEST_QUOTE else text[: LONGEST_QUOTE - 1].rstrip() + "…"


def notes_and_messages(
    profile: PatientProfile, sessions: list[PracticeSession], since: datetime
) -> list[Said]:
    """The patient's session notes and the messages of their thread with this clinic since
    ``since``, oldest first. "This hurts" entries of the thread are left out: the report lists
    every report in its own table."""
    said = [
        Said(s.ended_at, True, str(profile.user), True, _quote(s.note))
        for s in sessions
        if s.note.strip()
    ]
    if profile.clinic is not None:
        messages = Message.objects.filter(
            thread__patient=profile.user,
            thread__clinic=profile.clinic,
            kind=Message.Kind.TEXT,
            created_at__gte=since,
        ).select_related("author")
        said += [
            Said(
                m.created_at,
                m.from_patient,
                str(m.author or _("someone since removed")),
                False,
                _quote(m.body),
            )
            for m in messages
        ]
    return sorted(said, key=lambda entry: entry.when)


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
    names = exercise_names(list({h.exercise for h in hurts}))
    screens = RedFlagScreen.objects.filter(user=patient, answered_at__gte=since)
    flagged = [
        FlaggedScreen(screen, redflags.flagged(screen.answers))
        for screen in screens.order_by("answered_at")
        if redflags.flagged(screen.answers)
    ]
    rate = stats.adherence(practised, planned)
    changes = [v for v in versions if v.created_at >= since]
    said = notes_and_messages(profile, sessions, since)
    routine = active_routine(patient)
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
        "peg": peg_trend(patient, first, last),
        "start_back": outcomes.latest_start_back(patient),
        "prescription": routine.current if routine else None,
        "prescription_schedule": schedule_words(routine.current) if routine else "",
        "prescription_lines": handout_exercises(routine.current) if routine else [],
        "said": said[-MOST_WORDS:],
        "said_left_out": max(0, len(said) - MOST_WORDS),
        "day_choices": (7, 14, 28, 56, 91),
    }
