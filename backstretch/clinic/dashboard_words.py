"""The dashboard's words: each reason, the last session, adherence and the pain sparkline,
as the clinician reads them. Built from a patient's facts; no queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.practice import stats
from backstretch.practice.models import HurtSeverity

from . import sparkline, triage

WINDOW_DAYS = 28
TONES = {
    triage.Severity.RED_FLAG: "urgent",
    triage.Severity.PAIN_JUMP: "urgent",
    triage.Severity.PEG: "urgent",
    triage.Severity.HURT: "urgent",
    triage.Severity.PAIN: "urgent",
    triage.Severity.SILENT: "warn",
    triage.Severity.REVIEW: "info",
}

# Reason icons (never the only signal: each reason also has words and a colour).
ICONS = {kind: mark_safe(sparkline.icon_svg(kind)) for kind in sparkline.ICON_SHAPES}
ICON_SPRITE = mark_safe(sparkline.icon_sprite())  # every page that shows ICONS includes it


def short_day(day: date | None, today: date) -> str:
    if day is None:
        return ""
    if day == today:
        return _("today")
    if day == today - timedelta(days=1):
        return _("yesterday")
    if today - day < timedelta(days=7):
        return str(WEEKDAYS[day.weekday()])
    return formats.date_format(day, "j M")


def hurt_label(severity: str) -> str:
    try:
        return str(HurtSeverity(severity).label)
    except ValueError:
        return severity


def reason_text(reason: triage.Reason, today: date) -> str:
    when = short_day(reason.day, today)
    if reason.kind == "red_flag":
        if reason.detail == "says_cleared":
            return _("Red-flag answer (%(day)s); the patient says a clinician has cleared it") % {
                "day": when
            }
        if reason.detail == "emergency":
            return _("Red-flag answers point to emergency care (%(day)s)") % {"day": when}
        return _("Red-flag answer needs a clinician's check (%(day)s)") % {"day": when}
    if reason.kind == "recheck":
        return _(
            "Asked the red-flag questions again (%(day)s), not answered yet: no sessions until then"
        ) % {"day": when}
    if reason.kind == "pain_jump":
        if reason.detail == "sharp":
            return _("Reported sharp pain during a session (%(day)s)") % {"day": when}
        before, after = reason.values
        return _("Pain jumped from %(before)d to %(after)d in one session (%(day)s)") % {
            "before": before,
            "after": after,
            "day": when,
        }
    if reason.kind == "peg_worse":
        baseline, latest = reason.values
        return _(
            "Weekly check-in worse: %(now)s out of 10 (%(day)s), %(before)s before; "
            "a change people notice"
        ) % {
            "now": formats.number_format(latest, decimal_pos=1),
            "before": formats.number_format(baseline, decimal_pos=1),
            "day": when,
        }
    if reason.kind == "hurt":
        text = _("Reported “this hurts” (%(severity)s) %(day)s") % {
            "severity": hurt_label(reason.detail),
            "day": when if when in (_("today"), _("yesterday")) else _("on %s") % when,
        }
        if reason.count > 1:
            text += " · " + ngettext(
                "%(n)d report this week", "%(n)d reports this week", reason.count
            ) % {"n": reason.count}
        return text
    if reason.kind == "pain_rose":
        return ngettext(
            "Pain 2+ points higher after than before in %(n)d session this week",
            "Pain 2+ points higher after than before in %(n)d sessions this week",
            reason.count,
        ) % {"n": reason.count}
    if reason.kind == "pain_trend":
        earlier, now = reason.values
        return _("Pain rising: %(now)s this week, %(before)s the 3 weeks before") % {
            "now": formats.number_format(round(now, 1), decimal_pos=1),
            "before": formats.number_format(round(earlier, 1), decimal_pos=1),
        }
    if reason.kind == "silent":
        if reason.day is None:
            return ngettext(
                "No session yet, %(n)d day since the routine began",
                "No session yet, %(n)d days since the routine began",
                reason.count,
            ) % {"n": reason.count}
        return ngettext("No session for %(n)d day", "No session for %(n)d days", reason.count) % {
            "n": reason.count
        }
    due = formats.date_format(reason.day, "j M") if reason.day else ""
    return _("Review was due on %(day)s") % {"day": due}


def last_session_text(day: date | None, today: date) -> str:
    if day is None:
        return _("No sessions yet")
    days = (today - day).days
    if days <= 0:
        return _("Today")
    if days == 1:
        return _("Yesterday")
    return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}


def adherence_percent(facts: triage.PatientFacts, window: int) -> int | None:
    share = stats.recent_adherence(
        [s.day for s in facts.sessions],
        facts.today,
        window,
        facts.planned_days,
        facts.times_per_day,
        facts.started,
    )
    return None if share is None else round(100 * share)


@dataclass(frozen=True)
class ReasonLine:
    kind: str
    tone: str
    text: str
    icon: SafeString
    may_be_dealt_with: bool = False


def reason_lines(found: Iterable[triage.Reason], today: date) -> list[ReasonLine]:
    return [
        ReasonLine(
            r.kind, TONES[r.severity], reason_text(r, today), ICONS[r.kind], r.may_be_dealt_with
        )
        for r in found
    ]


@dataclass(frozen=True)
class SparkWords:
    """The sparkline's labels, translated once per page rather than once per patient."""

    empty: str
    summary: str

    @classmethod
    def current(cls) -> SparkWords:
        return cls(
            _("No pain scores after a session in the last 4 weeks"),
            _(
                "Pain after sessions, last 4 weeks: %(first)s at first, %(last)s lately "
                "(0 to 10, %(n)d scores)"
            ),
        )


def pain_spark(facts: triage.PatientFacts, words: SparkWords | None = None) -> SafeString:
    words = words or SparkWords.current()
    first = facts.today - timedelta(days=WINDOW_DAYS - 1)
    points = sorted(
        ((s.day - first).days, float(s.pain_after))
        for s in facts.sessions
        if s.pain_after is not None and first <= s.day <= facts.today
    )
    if not points:
        label = words.empty
    else:
        label = words.summary % {
            "first": f"{points[0][1]:g}",
            "last": f"{points[-1][1]:g}",
            "n": len(points),
        }
    svg = sparkline.sparkline_svg(points, WINDOW_DAYS, label)
    return mark_safe(svg)  # numbers and an escaped label only
