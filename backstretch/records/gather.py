"""One patient's record read from the database as the plain facts ``records.fhir`` maps.

Rows that grow with time (sessions, hurts, check-ins, messages, audit entries) are read as
iterators in chunks, so an export never holds a patient's whole history in memory at once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent
from backstretch.library.models import Exercise
from backstretch.library.models import exercise_names as library_names
from backstretch.library.schema import Dosage
from backstretch.library.vocabulary import FIGURE_PLACES, dosage_words
from backstretch.messaging.models import Message
from backstretch.outcomes.models import PegCheckin, StartBack
from backstretch.outcomes.questions import (
    PEG_ITEMS,
    START_BACK_BOTHER,
    START_BACK_BOTHER_CHOICES,
    START_BACK_COPYRIGHT,
    START_BACK_STATEMENTS,
)
from backstretch.practice.models import HurtReport, HurtSeverity, PracticeSession
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTIONS

from . import fhir

CHUNK = 100  # rows read at a time (a session with its steps is ~100 small objects)
PEG_KEYS = tuple(item.field for item in PEG_ITEMS)


def person_name(user: User | None) -> str:
    return (user.name or user.email) if user is not None else ""


def patient_facts(user: User) -> fhir.PatientFacts:
    profile = getattr(user, "patient", None)
    clinic = profile.clinic if profile is not None else None
    clinician = profile.clinician if profile is not None else None
    return fhir.PatientFacts(
        key=user.pk,
        name=user.name,
        email=user.email,
        joined=user.date_joined,
        active=user.is_active,
        clinic=clinic.name if clinic else "",
        clinician=person_name(clinician),
    )


def item_facts(item: dict[str, Any], names: dict[str, str]) -> fhir.ItemFacts:
    hold, repetitions = int(item["hold_seconds"]), int(item["repetitions"])
    sides, rest = str(item["sides"]), int(item["rest_seconds"])
    # Only its words are wanted: a stored prescription is read as saved, never re-validated.
    dosage = Dosage.model_construct(
        hold_seconds=hold, repetitions=repetitions, sides=sides, rest_seconds=rest
    )
    return fhir.ItemFacts(
        exercise=item["exercise"],
        name=names.get(item["exercise"], item["exercise"]),
        position=item["position"],
        hold_seconds=hold,
        repetitions=repetitions,
        sides=sides,
        rest_seconds=rest,
        note=str(item.get("note", "") or ""),
        position_words=str(FIGURE_PLACES.get(item["position"], item["position"])),
        dosage_words=dosage_words(dosage, "side"),
    )


def versions_of(user: User) -> list[RoutineVersion]:
    return list(
        RoutineVersion.objects.filter(routine__patient=user)
        .select_related("routine", "created_by")
        .order_by("routine__created_at", "routine_id", "number")
    )


def version_facts(versions: list[RoutineVersion], names: dict[str, str]) -> list[fhir.VersionFacts]:
    newest: dict[int, int] = {}
    for version in versions:
        newest[version.routine_id] = max(newest.get(version.routine_id, 0), version.number)
    found: list[fhir.VersionFacts] = []
    previous: dict[int, int] = {}
    for version in versions:
        routine: Routine = version.routine
        if version.number < newest[routine.pk]:
            status = "revoked"
        else:
            status = "active" if routine.is_active else "completed"
        found.append(
            fhir.VersionFacts(
                key=version.pk,
                routine=routine.name,
                number=version.number,
                items=tuple(item_facts(item, names) for item in version.items),
                days=tuple(int(day) for day in version.days),
                times_per_day=version.times_per_day,
                created_at=version.created_at,
                status=status,
                reason=version.reason,
                created_by=person_name(version.created_by),
                template=routine.template_slug,
                review_date=version.review_date,
                replaces=previous.get(routine.pk),
            )
        )
        previous[routine.pk] = version.pk
    return found


@functools.cache
def _shipped_templates() -> dict[str, Any]:
    from backstretch.library.schema import load_library
    from backstretch.routines.templates import load_templates

    return dict(load_templates(library=load_library()))


def template_facts(slugs: set[str], names: dict[str, str]) -> list[fhir.TemplateFacts]:
    from backstretch.routines.services import stored_item, template_items

    shipped = _shipped_templates()
    found = []
    for slug in sorted(slugs):
        if slug not in shipped:
            continue
        name, items = template_items(slug)
        found.append(
            fhir.TemplateFacts(
                slug=slug,
                name=name,
                description=shipped[slug].description,
                items=tuple(item_facts(stored_item(item), names) for item in items),
            )
        )
    return found


def exercise_facts(slugs: set[str]) -> list[fhir.ExerciseFacts]:
    return [
        fhir.ExerciseFacts(
            slug=exercise.slug,
            name=exercise.name,
            summary=exercise.summary,
            why=str(exercise.definition.get("why", "")),
            retired=exercise.retired,
        )
        for exercise in Exercise.objects.filter(slug__in=slugs).order_by("slug")
    ]


def session_summary(session: PracticeSession) -> str:
    return _("%(done)d holds done, %(skipped)d skipped, %(hurts)d “this hurts”%(variant)s") % {
        "done": session.holds_done,
        "skipped": session.holds_skipped,
        "hurts": session.hurts,
        "variant": _(" (short version)") if session.variant == "bad_day" else "",
    }


def sessions_of(user: User) -> Iterator[PracticeSession]:
    return PracticeSession.objects.filter(patient=user).order_by("started_at", "pk").iterator(CHUNK)


def session_facts(user: User) -> Iterator[fhir.SessionFacts]:
    for session in sessions_of(user):
        yield fhir.SessionFacts(
            key=session.pk,
            version=session.routine_version_id,
            started_at=session.started_at,
            ended_at=session.ended_at,
            completed=session.completed,
            pain_before=session.pain_before,
            pain_after=session.pain_after,
            note=session.note,
            steps=tuple(step for step in session.steps if isinstance(step, dict)),
            summary=session_summary(session),
        )


def hurts_of(user: User) -> Iterator[HurtReport]:
    return HurtReport.objects.filter(patient=user).order_by("reported_at", "pk").iterator(CHUNK)


def hurt_facts(user: User) -> Iterator[fhir.HurtFacts]:
    actions = dict(HurtReport.Action.choices)
    severities = dict(HurtSeverity.choices)
    for hurt in hurts_of(user):
        yield fhir.HurtFacts(
            key=hurt.pk,
            session=hurt.session_id,
            reported_at=hurt.reported_at,
            exercise=hurt.exercise,
            position=hurt.position,
            side=hurt.side,
            severity=hurt.severity,
            severity_words=str(severities.get(hurt.severity, hurt.severity)),
            action_words=str(actions.get(hurt.action, hurt.action)),
            numbness=hurt.numbness,
            step_index=hurt.step_index,
        )


def questionnaires() -> list[fhir.QuestionnaireFacts]:
    return [
        fhir.QuestionnaireFacts(
            key="peg",
            title=_("Weekly check-in (PEG)"),
            questions=tuple(fhir.Question(item.field, str(item.question)) for item in PEG_ITEMS),
            kind="integer",
        ),
        fhir.QuestionnaireFacts(
            key="start-back",
            title=_("STarT Back screening tool"),
            questions=tuple(
                fhir.Question(str(number), str(words))
                for number, words in enumerate((*START_BACK_STATEMENTS, START_BACK_BOTHER), start=1)
            ),
            kind="choice",
            choices=tuple(str(choice) for choice in START_BACK_BOTHER_CHOICES),
            copyright=START_BACK_COPYRIGHT,
        ),
        fhir.QuestionnaireFacts(
            key="red-flag-screen",
            title=_("Safety questions"),
            questions=tuple(fhir.Question(q.key, str(q.text)) for q in QUESTIONS),
            kind="boolean",
        ),
    ]


def peg_of(user: User) -> Iterator[PegCheckin]:
    return PegCheckin.objects.filter(patient=user).order_by("local_date", "pk").iterator(CHUNK)


def start_backs_of(user: User) -> Iterator[StartBack]:
    return (
        StartBack.objects.filter(patient=user)
        .select_related("requested_by")
        .order_by("requested_at", "pk")
        .iterator(CHUNK)
    )


def screens_of(user: User) -> Iterator[RedFlagScreen]:
    return (
        RedFlagScreen.objects.filter(user=user)
        .select_related("cleared_by")
        .order_by("answered_at", "pk")
        .iterator(CHUNK)
    )


def answers_facts(user: User) -> Iterator[fhir.AnswersFacts]:
    for checkin in peg_of(user):
        answers = {
            key: getattr(checkin, key) for key in PEG_KEYS if getattr(checkin, key) is not None
        }
        score = checkin.score
        yield fhir.AnswersFacts(
            key=checkin.pk,
            questionnaire="peg",
            authored=checkin.created_at,
            answers=answers,
            status="stopped" if checkin.skipped else "completed",
            effective=checkin.local_date,
            scores=(
                (
                    fhir.Score(
                        "score",
                        _("PEG score (mean of the three answers, 0–10)"),
                        score,
                        code=fhir.PEG_SCORE,
                    ),
                )
                if score is not None
                else ()
            ),
        )
    risks = dict(StartBack._meta.get_field("risk").choices or [])
    for start_back in start_backs_of(user):
        answered = start_back.answered_at is not None and len(start_back.answers) == 9
        yield fhir.AnswersFacts(
            key=start_back.pk,
            questionnaire="start-back",
            authored=start_back.answered_at or start_back.requested_at,
            answers={str(n): int(v) for n, v in enumerate(start_back.answers, start=1)}
            if answered
            else {},
            status="completed" if answered else "in-progress",
            scores=(
                fhir.Score("overall", _("STarT Back overall score (0–9)"), start_back.overall),
                fhir.Score(
                    "distress", _("STarT Back distress sub-score (0–5)"), start_back.distress
                ),
                fhir.Score(
                    "risk",
                    _("STarT Back risk group"),
                    words=str(risks.get(start_back.risk, start_back.risk)),
                ),
            )
            if answered
            else (),
        )
    urgencies = {
        "clear": _("nothing to worry about"),
        "prompt": _("see a clinician before starting"),
        "emergency": _("emergency care now"),
    }
    for screen in screens_of(user):
        note = ""
        if screen.cleared_at is not None:
            who = person_name(screen.cleared_by) or screen.seen_by
            note = _("Lock lifted on %(when)s%(who)s%(seen)s") % {
                "when": screen.cleared_at.date().isoformat(),
                "who": _(" by %(name)s") % {"name": who} if who else "",
                "seen": _(" (seen on %(day)s)") % {"day": screen.seen_on.isoformat()}
                if screen.seen_on
                else "",
            }
        yield fhir.AnswersFacts(
            key=screen.pk,
            questionnaire="red-flag-screen",
            authored=screen.answered_at,
            answers={
                key: bool(value) for key, value in screen.answers.items() if isinstance(value, bool)
            },
            scores=(
                fhir.Score(
                    "result",
                    _("Safety questions: what the answers say"),
                    words=str(urgencies.get(screen.urgency, screen.urgency)),
                    note=note,
                ),
            ),
        )


def messages_of(user: User) -> Iterator[Message]:
    return (
        Message.objects.filter(thread__patient=user)
        .select_related("thread__clinic", "author")
        .order_by("created_at", "pk")
        .iterator(CHUNK)
    )


def message_facts(user: User) -> Iterator[fhir.MessageFacts]:
    kinds = dict(Message.Kind.choices)
    for message in messages_of(user):
        yield fhir.MessageFacts(
            key=message.pk,
            kind=message.kind,
            kind_words=str(kinds.get(message.kind, message.kind)),
            from_patient=message.from_patient,
            author=person_name(message.author),
            clinic=message.thread.clinic.name,
            body=message.body,
            sent=message.created_at,
            session=message.session_id,
        )


def audit_of(user: User) -> Iterator[AuditEvent]:
    return (
        AuditEvent.objects.filter(patient=user)
        .select_related("actor", "clinic")
        .order_by("at", "pk")
        .iterator(CHUNK)
    )


def audit_facts(user: User) -> Iterator[fhir.AuditFacts]:
    for event in audit_of(user):
        yield fhir.AuditFacts(
            key=event.pk,
            at=event.at,
            actor=person_name(event.actor),
            action=event.action,
            what=event.what,
            clinic=event.clinic.name,
        )


def exercise_names(slugs: set[str]) -> dict[str, str]:
    """Each exercise's name in the active language: the patient's own, for their own export."""
    return library_names(sorted(slugs))


def record_of(user: User) -> fhir.Record:
    """Everything ``records.fhir`` maps for ``user``; the long lists stay lazy."""
    versions = versions_of(user)
    slugs = {item["exercise"] for version in versions for item in version.items}
    templates = {v.routine.template_slug for v in versions if v.routine.template_slug}
    names = exercise_names(slugs)
    template_list = template_facts(templates, names)
    slugs |= {item.exercise for t in template_list for item in t.items}
    return fhir.Record(
        patient=patient_facts(user),
        exercises=exercise_facts(slugs),
        templates=template_list,
        versions=version_facts(versions, names),
        questionnaires=questionnaires(),
        sessions=session_facts(user),
        hurts=hurt_facts(user),
        answers=answers_facts(user),
        messages=message_facts(user),
        audit=audit_facts(user),
    )


def pain_words() -> tuple[str, str]:
    return _("Pain before the session (0–10)"), _("Pain after the session (0–10)")
