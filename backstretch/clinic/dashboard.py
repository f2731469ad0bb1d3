"""The clinician dashboard's rows: facts for many patients at once, their triage, and the row
made from them (the words are in ``dashboard_words``).

The dashboard gathers every patient's facts with a fixed handful of queries — the last four
weeks of sessions, the last week's "this hurts" reports, the red-flag screens and the active
routines, each for all patients at once — and leaves the deciding to the pure ``triage``.

A row (its reasons, figures, sparkline and HTML) is a pure function of the patient's facts,
name, id and the page's language, so rows go into Django's cache keyed by a digest of exactly
those inputs. A new session, "this hurts" report, screen or routine version changes the facts,
hence the key: the next page builds that row afresh. Nothing needs telling; nothing goes stale.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.template import Context
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backstretch.accounts.models import PatientProfile
from backstretch.outcomes.models import PegCheckin
from backstretch.outcomes.scoring import peg_score
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import RoutineVersion
from backstretch.safety.models import RedFlagScreen, RescreenRequest

from . import queries, triage
from .dashboard_words import (
    ICONS,
    WINDOW_DAYS,
    ReasonLine,
    SparkWords,
    adherence_percent,
    last_session_text,
    pain_spark,
    reason_lines,
)
from .models import DealtWith


def maybe_url(name: str, *args: object) -> str | None:
    """The URL of a page another part of the portal may not have built yet, else None."""
    for attempt in ((), args) if args else ((),):
        try:
            return reverse(name, args=attempt)
        except NoReverseMatch:
            continue
    return None


# --- facts, for many patients at once ---------------------------------------------------------


@dataclass
class Gathered:
    """Rows per patient user id, read with one query per kind of record."""

    sessions: dict[int, list[triage.SessionFact]] = field(default_factory=lambda: defaultdict(list))
    hurts: dict[int, list[triage.HurtFact]] = field(default_factory=lambda: defaultdict(list))
    screens: dict[int, tuple[str, datetime, bool, bool]] = field(default_factory=dict)
    routines: dict[int, tuple[list[int], int, date | None, datetime]] = field(default_factory=dict)
    last_session: dict[int, date] = field(default_factory=dict)
    rechecks: dict[int, date] = field(default_factory=dict)
    pegs: dict[int, list[triage.PegFact]] = field(default_factory=lambda: defaultdict(list))
    dealt: dict[int, dict[str, datetime]] = field(default_factory=lambda: defaultdict(dict))
    latest_fact: dict[int, datetime] = field(default_factory=dict)


def gather(
    profiles: list[PatientProfile],
    todays: dict[int, date],
    among: QuerySet[PatientProfile] | None = None,
) -> Gathered:
    """``among``: the query that found ``profiles``, if any. The database then picks the
    patients itself, rather than reading a list of hundreds of ids from each query."""
    ids = [p.user_id for p in profiles]
    found = Gathered()
    if not ids:
        return found
    who: Any = ids if among is None else among.values("user_id")
    zones = {p.user_id: p.user.zone for p in profiles}
    since = min(todays.values()) - timedelta(days=WINDOW_DAYS)  # today may not be done yet
    recent_sessions = (
        PracticeSession.objects.filter(patient_id__in=who, local_date__gte=since)
        .order_by()  # no sort: the index on (patient, local_date) serves the filter alone
        .values_list("patient_id", queries.day_column(), "pain_before", "pain_after", "hurts")
    )
    days: dict[Any, date] = {}  # a few dozen distinct days among thousands of rows
    for patient_id, raw, before, after, hurts in queries.plain_rows(recent_sessions):
        day = days.get(raw)
        if day is None:
            day = days[raw] = raw if isinstance(raw, date) else date.fromisoformat(raw)
        found.sessions[patient_id].append(triage.SessionFact(day, before, after, hurts))
    quiet = [i for i in ids if i not in found.sessions]
    if quiet:  # silence longer than the window: when was the last session at all?
        older = (
            PracticeSession.objects.filter(patient_id__in=quiet)
            .values("patient_id")
            .annotate(last=Max("local_date"))
            .values_list("patient_id", "last")
        )
        found.last_session = dict(older)
    recent = timezone.now() - timedelta(days=triage.HURT_WINDOW_DAYS + 1)
    hurt_rows = HurtReport.objects.filter(patient_id__in=who, reported_at__gte=recent).order_by()
    for patient_id, at, severity in hurt_rows.values_list("patient_id", "reported_at", "severity"):
        local = at.astimezone(zones[patient_id]).date()
        found.hurts[patient_id].append(triage.HurtFact(local, severity))
    screens = RedFlagScreen.objects.filter(user_id__in=who).order_by("user_id", "answered_at")
    for user_id, urgency, at, cleared, by in screens.values_list(
        "user_id", "urgency", "answered_at", "cleared_at", "cleared_by_id"
    ):
        # The latest one wins.
        found.screens[user_id] = (urgency, at, cleared is not None, by is not None)
    open_rechecks = RescreenRequest.objects.filter(user_id__in=who, screen__isnull=True)
    for user_id, at in open_rechecks.order_by().values_list("user_id", "created_at"):
        found.rechecks[user_id] = at.astimezone(zones[user_id]).date()
    peg_since = min(todays.values()) - timedelta(days=triage.PEG_WINDOW_DAYS)
    pegs = PegCheckin.objects.filter(patient_id__in=who, local_date__gte=peg_since, skipped=False)
    for patient_id, day, pain, enjoyment, activity in pegs.order_by().values_list(
        "patient_id", "local_date", "pain", "enjoyment", "activity"
    ):
        if pain is not None and enjoyment is not None and activity is not None:
            found.pegs[patient_id].append(triage.PegFact(day, peg_score(pain, enjoyment, activity)))
    _gather_dealt(found, who)
    versions = RoutineVersion.objects.filter(
        routine__patient_id__in=who, routine__is_active=True
    ).order_by("routine__patient_id", "routine__created_at", "number")
    for patient_id, days, times, review, created in versions.values_list(
        "routine__patient_id", "days", "times_per_day", "review_date", "routine__created_at"
    ):
        found.routines[patient_id] = (list(days or []), times, review, created)
    return found


def _gather_dealt(found: Gathered, who: Any) -> None:
    """Reasons marked dealt with, and, for those patients only, when their newest fact came."""
    for patient_id, kind, at in DealtWith.objects.filter(patient_id__in=who).values_list(
        "patient_id", "kind", "at"
    ):
        marks = found.dealt[patient_id]
        marks[kind] = max(at, marks.get(kind, at))
    if not found.dealt:
        return
    marked = list(found.dealt)
    sources: list[tuple[Any, str, str]] = [
        (PracticeSession.objects, "patient_id", "created_at"),
        (PegCheckin.objects, "patient_id", "created_at"),
        (RedFlagScreen.objects, "user_id", "answered_at"),
        (RescreenRequest.objects, "user_id", "created_at"),
    ]
    for manager, column, moment in sources:
        newest = (
            manager.filter(**{f"{column}__in": marked})
            .values(column)
            .annotate(newest=Max(moment))
            .values_list(column, "newest")
        )
        for patient_id, at in newest:
            known = found.latest_fact.get(patient_id)
            if at is not None and (known is None or at > known):
                found.latest_fact[patient_id] = at


def facts_for(profile: PatientProfile, today: date, found: Gathered) -> triage.PatientFacts:
    uid = profile.user_id
    zone = profile.user.zone
    screen = found.screens.get(uid)
    routine = found.routines.get(uid)
    days, times, review, created = routine or ([], 1, None, None)
    return triage.PatientFacts(
        today=today,
        sessions=found.sessions.get(uid, []),
        hurts=found.hurts.get(uid, []),
        last_session=found.last_session.get(uid),
        started=created.astimezone(zone).date() if created else None,
        screen_urgency=screen[0] if screen else None,
        screen_day=screen[1].astimezone(zone).date() if screen else None,
        screen_cleared=screen[2] if screen else False,
        screen_cleared_by_clinician=screen[3] if screen else False,
        recheck_day=found.rechecks.get(uid),
        pegs=found.pegs.get(uid, []),
        dealt=[triage.Dealt(kind, at) for kind, at in found.dealt.get(uid, {}).items()],
        latest_fact_at=found.latest_fact.get(uid),
        review_date=review,
        planned_days=frozenset(days) or frozenset(range(7)),
        times_per_day=max(1, times),
    )


# A row as the cache keeps it: (reasons as (kind, tone, text, may be dealt with), adherence
# over 7 and 28 days, sparkline SVG, last session words, URL, the row's HTML). Plain values.
RowValue = tuple[list[tuple[str, str, str, bool]], int | None, int | None, str, str, str, str]


@dataclass(frozen=True)
class Row:
    profile: PatientProfile
    reasons: list[ReasonLine]
    adherence_7: int | None
    adherence_28: int | None
    spark: SafeString
    last_session: str
    url: str
    html: SafeString  # the row as the page shows it (clinic/dashboard_row.html)

    @classmethod
    def from_value(cls, profile: PatientProfile, value: RowValue) -> Row:
        reasons, adherence_7, adherence_28, spark, last_session, url, html = value
        return cls(
            profile=profile,
            reasons=[
                ReasonLine(kind, tone, text, ICONS[kind], dealable)
                for kind, tone, text, dealable in reasons
            ],
            adherence_7=adherence_7,
            adherence_28=adherence_28,
            spark=mark_safe(spark),  # built by pain_spark: numbers and an escaped label
            last_session=last_session,
            url=url,
            html=mark_safe(html),  # rendered by the row template, which escapes
        )


# Rows and triage results go into Django's cache (settings.CACHES), keyed by a digest of their
# inputs (see the module's docstring). Raise ROWS_FORMAT when a row's HTML or words change, so
# that a cache shared by several servers drops the old ones; rows hold "today" in their facts,
# so none is wanted after a day anyway.
ROWS_FORMAT = 3
ROW_SECONDS = 24 * 60 * 60


def facts_digest(facts: triage.PatientFacts, name: str) -> str:
    """A stable digest of everything the triage and a row read from the facts, and the name.

    ``marshal`` of plain numbers and strings: the same bytes in every process (unlike
    ``hash()``), and a few times cheaper than ``repr`` or ``pickle`` for a caseload of rows.
    """

    def day(value: date | None) -> int:
        return value.toordinal() if value is not None else 0

    def moment(value: datetime | None) -> float:
        return value.timestamp() if value is not None else 0.0

    plain = (
        day(facts.today),
        [(day(s.day), s.pain_before, s.pain_after, s.hurts) for s in facts.sessions],
        [(day(h.day), h.severity) for h in facts.hurts],
        day(facts.last_session),
        day(facts.started),
        facts.screen_urgency,
        day(facts.screen_day),
        facts.screen_cleared,
        facts.screen_cleared_by_clinician,
        day(facts.recheck_day),
        [(day(p.day), p.score) for p in facts.pegs],
        sorted((d.kind, moment(d.at)) for d in facts.dealt),
        moment(facts.latest_fact_at),
        day(facts.review_date),
        sorted(facts.planned_days),
        facts.times_per_day,
        name,
    )
    return hashlib.blake2b(marshal.dumps(plain, 4), digest_size=16).hexdigest()


def triage_key(digest: str) -> str:
    return f"dashboard:triage:{ROWS_FORMAT}:{digest}"


def row_key(digest: str, user_id: int, url: str, language: str | None) -> str:
    inputs = f"{digest}|{user_id}|{url}|{language or ''}".encode()
    return f"dashboard:row:{ROWS_FORMAT}:{hashlib.blake2b(inputs, digest_size=16).hexdigest()}"


# In the cache: plain tuples (cheap to pickle, as every cache backend does), not dataclasses.
TriageValue = tuple[
    list[tuple[str, int, date | None, int, str, tuple[float, ...]]], tuple[int, int, str]
]


def triaged_all(
    entries: list[tuple[triage.PatientFacts, str, str]],
) -> list[tuple[list[triage.Reason], tuple[int, int, str]]]:
    """(reasons to call, sort key) for each (facts, name, digest), worked out once per facts."""
    keys = [triage_key(digest) for _facts, _name, digest in entries]
    known: dict[str, TriageValue] = cache.get_many(keys)
    fresh: dict[str, TriageValue] = {}
    answers = []
    for key, (facts, name, _digest) in zip(keys, entries, strict=True):
        value = known.get(key)
        if value is None:
            why = triage.reasons(facts)
            order = triage.sort_key(why, triage.silent_days(facts), name)
            value = fresh[key] = (
                [(r.kind, int(r.severity), r.day, r.count, r.detail, r.values) for r in why],
                order,
            )
            answers.append((why, order))
        else:
            plain, order = value
            why = [
                triage.Reason(k, triage.Severity(sev), d, n, t, v) for k, sev, d, n, t, v in plain
            ]
            answers.append((why, order))
    if fresh:
        cache.set_many(fresh, ROW_SECONDS)
    return answers


def row_values(
    profiles: list[PatientProfile], among: QuerySet[PatientProfile] | None = None
) -> list[tuple[PatientProfile, RowValue, bool]]:
    """(profile, row, needs a call) for each of ``profiles``, most urgent first: rows
    (adherence, sparkline, HTML) built only when their inputs changed."""
    todays = {p.user_id: p.user.today() for p in profiles}
    found = gather(profiles, todays, among)
    entries = []
    for profile in profiles:
        facts = facts_for(profile, todays[profile.user_id], found)
        name = str(profile.user)
        entries.append((facts, name, facts_digest(facts, name)))
    keyed = [
        (order, profile, facts, why, digest)
        for profile, (facts, _name, digest), (why, order) in zip(
            profiles, entries, triaged_all(entries), strict=True
        )
    ]
    keyed.sort(key=lambda entry: entry[0])
    page = RowBuilder()
    urls = [f"{page.url_prefix}{entry[1].user_id}/" for entry in keyed]
    keys = [
        row_key(entry[4], entry[1].user_id, url, page.language)
        for entry, url in zip(keyed, urls, strict=True)
    ]
    known: dict[str, RowValue] = cache.get_many(keys)
    fresh: dict[str, RowValue] = {}
    rows = []
    for entry, url, key in zip(keyed, urls, keys, strict=True):
        _sort, profile, facts, why, _digest = entry
        value = known.get(key)
        if value is None:
            value = fresh[key] = page.build(facts, why, url, str(profile.user))
        rows.append((profile, value, bool(why)))
    if fresh:
        cache.set_many(fresh, ROW_SECONDS)
    return rows


def dashboard_rows(
    profiles: list[PatientProfile], among: QuerySet[PatientProfile] | None = None
) -> tuple[list[Row], list[Row]]:
    """(needs a call, on track) among ``profiles``, most urgent first."""
    rows = row_values(profiles, among)
    needs = [Row.from_value(profile, value) for profile, value, call in rows if call]
    on_track = [Row.from_value(profile, value) for profile, value, call in rows if not call]
    return needs, on_track


# A patient's standing (clinic.standing) changes whenever a fact the row is made of changes
# (its epoch grows) and when their day turns (its valid_until moves on): a row kept under
# those two, with everything else it shows, needs no facts read to be shown again.
def kept_key(profile: PatientProfile, mark: tuple[int, datetime], url: str, language: str) -> str:
    epoch, until = mark
    user = profile.user
    inputs = (
        f"{profile.user_id}|{epoch}|{until.timestamp()}|{user}|{user.time_zone}|{url}|{language}"
    )
    digest = hashlib.blake2b(inputs.encode(), digest_size=16).hexdigest()
    return f"dashboard:kept:{ROWS_FORMAT}:{digest}"


def page_rows(
    profiles: list[PatientProfile], marks: dict[int, tuple[int, datetime]]
) -> tuple[list[Row], list[Row]]:
    """(needs a call, on track) for one dashboard page, in the page's order (the standing's,
    which is the triage's). ``marks``: each patient's standing (epoch, valid_until), read
    before their facts. Rows whose standing is the same as when they were built come from the
    cache without reading any facts; the others are built from their facts (``row_values``)."""
    language = translation.get_language() or ""
    prefix = reverse("clinic:patient", args=[0]).removesuffix("0/")
    keys = {
        p.user_id: kept_key(p, marks[p.user_id], f"{prefix}{p.user_id}/", language)
        for p in profiles
        if p.user_id in marks
    }
    known: dict[str, tuple[RowValue, bool]] = cache.get_many(list(keys.values()))
    found = {uid: known[key] for uid, key in keys.items() if key in known}
    missing = [p for p in profiles if p.user_id not in found]
    if missing:
        fresh = {}
        for profile, value, call in row_values(missing):
            found[profile.user_id] = (value, call)
            if profile.user_id in keys:
                fresh[keys[profile.user_id]] = (value, call)
        cache.set_many(fresh, ROW_SECONDS)
    needs: list[Row] = []
    on_track: list[Row] = []
    for profile in profiles:
        value, call = found[profile.user_id]
        (needs if call else on_track).append(Row.from_value(profile, value))
    return needs, on_track


class RowBuilder:
    """Builds rows for one page: repeated phrases translated, the URL reversed, once."""

    def __init__(self) -> None:
        self.language = translation.get_language()
        self.url_prefix = reverse("clinic:patient", args=[0]).removesuffix("0/")
        self.spark_words = SparkWords.current()
        self.last_words: dict[int | None, str] = {}
        # One context for the page's rows: Django's per-render set-up costs more than a row.
        self.template = get_template("clinic/dashboard_row.html").template  # type: ignore[attr-defined]
        self.context = Context(
            {
                "words": {
                    "last": _("Last session"),
                    "on_track": _("On track"),
                    "adherence": _("Adherence,"),
                    "week": _("7 days"),
                    "month": _("28 days"),
                    "dealt": _("Dealt with…"),
                    "dealt_label": _("Mark as dealt with:"),
                },
                "ok_icon": ICONS["ok"],
            }
        )

    def build(self, facts: triage.PatientFacts, why: list[Any], url: str, name: str) -> RowValue:
        today = facts.today
        last = triage.last_practised(facts)
        days = None if last is None else (today - last).days
        if days not in self.last_words:
            self.last_words[days] = last_session_text(last, today)
        parts: dict[str, Any] = {
            "reasons": reason_lines(why, today),
            "adherence_7": adherence_percent(facts, 7),
            "adherence_28": adherence_percent(facts, WINDOW_DAYS),
            "spark": pain_spark(facts, self.spark_words),
            "last_session": self.last_words[days],
            "url": url,
        }
        with self.context.push(row=parts, name=name):
            html = self.template.render(self.context)
        return (
            [
                (line.kind, line.tone, line.text, line.may_be_dealt_with)
                for line in parts["reasons"]
            ],
            parts["adherence_7"],
            parts["adherence_28"],
            str(parts["spark"]),
            parts["last_session"],
            url,
            str(html),
        )
