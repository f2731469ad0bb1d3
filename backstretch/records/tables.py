"""The zip's CSV files: one ``Table`` each, with the line README.txt gives it, its columns and
the rows of one patient (read in chunks where they grow with time)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from backstretch.accounts.models import ApiToken, User
from backstretch.clinic.models import DealtWith
from backstretch.push.models import PushSubscription
from backstretch.reminders.models import SentReminder
from backstretch.safety.models import RescreenRequest
from backstretch.safety.redflags import QUESTION_KEYS

from . import fhir, gather


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


def _cell(value: Any) -> Any:
    return yes_no(value) if isinstance(value, bool) else value


def _steps(user: User) -> Iterator[list[Any]]:
    for s in gather.sessions_of(user):
        for step in s.steps:
            if isinstance(step, dict):
                yield [s.pk, *(_cell(step.get(name, "")) for name in STEP_COLUMNS)]


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
        "each step of each session as you played it: done, skipped or hurt (and, for a hold "
        "the camera watched, the seconds it saw you in position and whether it counted it)",
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
