"""A patient's record for download: a FHIR R4 Bundle streamed as JSON, or a zip of plain CSV
and JSON files with a README.txt that says what each file holds.

Neither is held whole in memory: the Bundle is written entry by entry as the rows are read in
chunks, and the zip is written file by file into a temporary file that stays in memory while
small and moves to disk when it grows.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils import timezone

from backstretch.accounts.models import ApiToken, User
from backstretch.clinic.models import DealtWith
from backstretch.push.models import PushSubscription
from backstretch.reminders.models import ReminderSettings, SentReminder
from backstretch.safety.models import RescreenRequest
from backstretch.safety.redflags import QUESTION_KEYS

from . import fhir, gather

IN_MEMORY = 8 * 1024 * 1024  # a zip larger than this goes to a temporary file on disk


def fhir_bundle_chunks(user: User, base: str, now: datetime | None = None) -> Iterator[bytes]:
    """The Bundle as JSON, a few entries at a time."""
    head = fhir.bundle_head(now or timezone.now())
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "entry": ['
    resources = fhir.record_resources(fhir.Site(base), gather.record_of(user), gather.pain_words())
    batch: list[str] = []
    first = True
    for resource in resources:
        batch.append(json.dumps(fhir.entry(resource), ensure_ascii=False))
        if len(batch) == 100:
            yield (("" if first else ",") + ",".join(batch)).encode()
            first, batch = False, []
    if batch:
        yield (("" if first else ",") + ",".join(batch)).encode()
    yield b"]}"


# --- The zip --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str  # file name in the zip
    about: str  # one line for README.txt
    header: tuple[str, ...]
    rows: Callable[[User], Iterable[Iterable[Any]]]


def iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _routines(user: User) -> Iterator[list[Any]]:
    for version in gather.versions_of(user):
        yield [
            version.routine.name,
            version.number,
            iso(version.created_at),
            gather.person_name(version.created_by),
            version.reason,
            " ".join(fhir.WEEKDAYS[int(d)] for d in version.days if 0 <= int(d) < 7),
            version.times_per_day,
            iso(version.review_date),
            yes_no(version.routine.is_active),
        ]


def _routine_items(user: User) -> Iterator[list[Any]]:
    for version in gather.versions_of(user):
        for order, item in enumerate(version.items, start=1):
            yield [
                version.routine.name,
                version.number,
                order,
                item["exercise"],
                item["position"],
                item["hold_seconds"],
                item["repetitions"],
                item["sides"],
                item["rest_seconds"],
                item.get("note", ""),
            ]


def _sessions(user: User) -> Iterator[list[Any]]:
    for s in gather.sessions_of(user):
        yield [
            s.pk,
            s.local_date.isoformat(),
            iso(s.started_at),
            iso(s.ended_at),
            round(s.minutes, 1),
            s.pain_before,
            s.pain_after,
            yes_no(s.completed),
            s.variant,
            s.source,
            s.holds_done,
            s.holds_skipped,
            s.hurts,
            s.routine_version_id,
            s.note,
        ]


STEP_COLUMNS = fhir.STEP_FIELDS


def _steps(user: User) -> Iterator[list[Any]]:
    for s in gather.sessions_of(user):
        for step in s.steps:
            if isinstance(step, dict):
                yield [s.pk, *(step.get(name, "") for name in STEP_COLUMNS)]


def _hurts(user: User) -> Iterator[list[Any]]:
    for h in gather.hurts_of(user):
        yield [
            h.session_id,
            iso(h.reported_at),
            h.exercise,
            h.position,
            h.side,
            h.step_index,
            h.severity,
            yes_no(h.numbness),
            h.action,
        ]


def _peg(user: User) -> Iterator[list[Any]]:
    for c in gather.peg_of(user):
        yield [
            c.local_date.isoformat(),
            c.pain,
            c.enjoyment,
            c.activity,
            c.score,
            yes_no(c.skipped),
        ]


def _start_back(user: User) -> Iterator[list[Any]]:
    for sb in gather.start_backs_of(user):
        answers = list(sb.answers) + [""] * (9 - len(sb.answers))
        yield [
            iso(sb.requested_at),
            gather.person_name(sb.requested_by),
            iso(sb.answered_at),
            *answers[:9],
            sb.overall,
            sb.distress,
            sb.risk,
        ]


def _screens(user: User) -> Iterator[list[Any]]:
    for screen in gather.screens_of(user):
        yield [
            iso(screen.answered_at),
            screen.context,
            screen.urgency,
            *(yes_no(screen.answers.get(key)) for key in QUESTION_KEYS),
            iso(screen.cleared_at),
            gather.person_name(screen.cleared_by),
            screen.seen_by,
            iso(screen.seen_on),
        ]


def _rescreens(user: User) -> Iterator[list[Any]]:
    for request in RescreenRequest.objects.filter(user=user).order_by("created_at", "pk"):
        yield [iso(request.created_at), request.reason, yes_no(request.screen_id is not None)]


def _messages(user: User) -> Iterator[list[Any]]:
    for m in gather.messages_of(user):
        sender = "you" if m.from_patient else (gather.person_name(m.author) or m.thread.clinic.name)
        yield [iso(m.created_at), m.thread.clinic.name, sender, m.kind, m.session_id or "", m.body]


def _follow_ups(user: User) -> Iterator[list[Any]]:
    for mark in DealtWith.objects.filter(patient=user).select_related("by").order_by("at", "pk"):
        yield [iso(mark.at), gather.person_name(mark.by), mark.kind, mark.note]


def _tokens(user: User) -> Iterator[list[Any]]:
    for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk"):
        yield [
            token.name,
            f"{token.prefix}…",
            iso(token.created_at),
            iso(token.last_used_at),
            iso(token.revoked_at),
        ]


def _sent_reminders(user: User) -> Iterator[list[Any]]:
    for sent in (
        SentReminder.objects.filter(patient=user)
        .order_by("local_date", "pk")
        .iterator(gather.CHUNK)
    ):
        yield [sent.local_date.isoformat(), sent.kind, sent.status, iso(sent.sent_at)]


def _push(user: User) -> Iterator[list[Any]]:
    for subscription in PushSubscription.objects.filter(user=user).order_by("created_at", "pk"):
        host = urlsplit(subscription.endpoint).hostname or ""
        yield [iso(subscription.created_at), host, iso(subscription.last_sent_at)]


def _audit(user: User) -> Iterator[list[Any]]:
    for event in gather.audit_of(user):
        yield [
            iso(event.at),
            gather.person_name(event.actor) or "a deleted account",
            event.clinic.name,
            event.action,
            event.what,
        ]


TABLES: tuple[Table, ...] = (
    Table(
        "routines.csv",
        "every version of every routine you were given: who made it, when, why, on which days",
        (
            "routine",
            "version",
            "made_at",
            "made_by",
            "reason",
            "days",
            "times_a_day",
            "review_date",
            "routine_in_use",
        ),
        _routines,
    ),
    Table(
        "routine_exercises.csv",
        "the exercises of each routine version, in order, with their dosage",
        (
            "routine",
            "version",
            "order",
            "exercise",
            "position",
            "hold_seconds",
            "repetitions",
            "sides",
            "rest_seconds",
            "note",
        ),
        _routine_items,
    ),
    Table(
        "sessions.csv",
        "every session you did: when, how long, pain before and after (0-10), your note",
        (
            "session",
            "date",
            "started_at",
            "ended_at",
            "minutes",
            "pain_before",
            "pain_after",
            "completed",
            "variant",
            "source",
            "holds_done",
            "holds_skipped",
            "this_hurts",
            "routine_version",
            "note",
        ),
        _sessions,
    ),
    Table(
        "session_steps.csv",
        "each step of each session as you played it: done, skipped or hurt",
        ("session", *STEP_COLUMNS),
        _steps,
    ),
    Table(
        "this_hurts.csv",
        "every time you pressed “this hurts”: where in the routine, how bad, what you chose",
        (
            "session",
            "reported_at",
            "exercise",
            "position",
            "side",
            "step",
            "severity",
            "numbness",
            "what_you_chose",
        ),
        _hurts,
    ),
    Table(
        "checkins_peg.csv",
        "your weekly check-ins (PEG: pain, enjoyment of life, general activity, each 0-10;"
        " score = their mean)",
        ("date", "pain", "enjoyment", "activity", "score", "skipped"),
        _peg,
    ),
    Table(
        "start_back.csv",
        "the STarT Back questions your clinician asked (answers 1-8: 1 agree, 0 disagree;"
        " 9: 0 not at all to 4 extremely)",
        (
            "asked_at",
            "asked_by",
            "answered_at",
            *(f"q{n}" for n in range(1, 10)),
            "overall_score",
            "distress_score",
            "risk_group",
        ),
        _start_back,
    ),
    Table(
        "safety_questions.csv",
        "your answers to the safety (red-flag) questions, each time you answered them",
        (
            "answered_at",
            "when_asked",
            "result",
            *QUESTION_KEYS,
            "lock_lifted_at",
            "lifted_by",
            "seen_by",
            "seen_on",
        ),
        _screens,
    ),
    Table(
        "safety_asked_again.csv",
        "when the safety questions were asked again, and why",
        ("asked_at", "reason", "answered"),
        _rescreens,
    ),
    Table(
        "messages.csv",
        "your messages with your clinic, with your session notes and “this hurts” entries",
        ("sent_at", "clinic", "from", "kind", "session", "text"),
        _messages,
    ),
    Table(
        "clinic_follow_ups.csv",
        "when your clinician marked a reason to call you as dealt with, and their note",
        ("at", "by", "reason", "note"),
        _follow_ups,
    ),
    Table(
        "api_tokens.csv",
        "your API tokens (only their first characters: the secrets are not kept)",
        ("label", "starts_with", "made_at", "last_used_at", "revoked_at"),
        _tokens,
    ),
    Table(
        "reminders_sent.csv",
        "reminder e-mails sent to you",
        ("date", "kind", "status", "sent_at"),
        _sent_reminders,
    ),
    Table(
        "push_notifications.csv",
        "the browsers (phones) you asked to notify: when, through which push service",
        ("turned_on_at", "push_service", "last_sent_at"),
        _push,
    ),
    Table(
        "audit.csv",
        "who at your clinic opened, changed, printed or exported your record, and when",
        ("at", "who", "clinic", "did", "what"),
        _audit,
    ),
)


def account(user: User) -> dict[str, Any]:
    profile = getattr(user, "patient", None)
    facts = gather.patient_facts(user)
    data: dict[str, Any] = {
        "name": user.name,
        "email": user.email,
        "time_zone": user.time_zone,
        "joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "clinic": facts.clinic or None,
        "clinician": facts.clinician or None,
    }
    if profile is not None:
        data["preferences"] = {
            "where_you_practise": profile.preferred_position,
            "daily_time": iso(profile.daily_time) or None,
            "days_a_week_to_aim_for": profile.weekly_target,
            "screened_by_clinician": profile.screened_by_clinician,
        }
    settings = ReminderSettings.objects.filter(patient=user).first()
    data["reminders"] = (
        {
            "time": iso(settings.time),
            "days": [fhir.WEEKDAYS[int(d)] for d in settings.days if 0 <= int(d) < 7],
            "channels": list(settings.channels),
            "quiet_hours": (
                {"from": iso(settings.quiet_start), "until": iso(settings.quiet_end)}
                if settings.quiet_start and settings.quiet_end
                else None
            ),
            "calendar_alert_minutes_before": settings.lead_minutes,
            "first_day": iso(settings.first_day),
        }
        if settings is not None
        else None
    )
    return data


README = """Your Backstretch data
=====================

Everything Backstretch holds about you, as of {now}.
The .csv files open in any spreadsheet (UTF-8, comma-separated, one row per line).
Times are ISO 8601 with their offset from UTC; dates are the day where you were.
Column names and codes are in English so that programs can read them too.

account.json
    who you are (name, e-mail, time zone), your clinic and clinician, your preferences
    and your reminder settings.
{tables}
For a record system, the same record is available as one FHIR R4 file (a Bundle in
JSON): "Download as FHIR" on your profile page.

The STarT Back questions: {copyright}
"""


def readme(now: datetime) -> str:
    from backstretch.outcomes.questions import START_BACK_COPYRIGHT

    lines = []
    for table in TABLES:
        lines.append(table.name)
        lines.append(f"    {table.about}.")
        lines.append(f"    Columns: {', '.join(table.header)}.")
    return README.format(
        now=iso(now), tables="\n".join(lines) + "\n", copyright=START_BACK_COPYRIGHT
    )


def write_zip(user: User, out: IO[bytes], now: datetime | None = None) -> None:
    now = now or timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(now))
        archive.writestr(
            "account.json", json.dumps(account(user), indent=2, ensure_ascii=False) + "\n"
        )
        for table in TABLES:
            with archive.open(table.name, "w") as raw:
                # utf-8-sig: spreadsheets then read accented letters right.
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(table.header)
                for row in table.rows(user):
                    writer.writerow(["" if value is None else value for value in row])
                text.flush()
                text.detach()


def zip_file(user: User) -> IO[bytes]:
    """The zip in a temporary file, rewound for reading."""
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
    write_zip(user, spooled)
    spooled.seek(0)
    return spooled


def file_name(user: User, extension: str) -> str:
    return f"backstretch-record-{timezone.localdate():%Y-%m-%d}.{extension}"
