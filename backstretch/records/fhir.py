"""Our data as FHIR R4 resources (JSON-ready dicts). Pure: no Django; the facts come in as the
plain dataclasses below (``records.gather`` reads them from the database).

The mapping (docs/data.md has it as a table):

- an exercise → ActivityDefinition (canonical: the exercise's library page);
- a routine template → PlanDefinition, one action per exercise;
- a version of a patient's routine → CarePlan; each exercise an activity whose detail carries
  the schedule (days, times a day) and the dosage (position, sides, hold, repetitions, rest) in
  our ``exercise-dosage`` extension; a later version ``replaces`` the one before;
- a session → Procedure ``basedOn`` the CarePlan (SNOMED CT 229065009, exercise therapy), its
  per-step results in our ``session-step`` extension; pain before and after → Observations
  (LOINC 72514-3, 0–10); each "this hurts" → an Observation that is ``partOf`` the Procedure;
- PEG check-ins, STarT Back and the red-flag screen → QuestionnaireResponses (with the
  Questionnaires: our words, and Keele's copyright line on STarT Back) and Observations of
  their scores (PEG: LOINC 91147-9);
- messages, session notes and "this hurts" entries of the thread → Communication;
- who read or changed the record → AuditEvent; the person → Patient.

Every resource is validated against the R4B models of ``fhir.resources`` in the tests.
References inside a Bundle are ``urn:uuid:`` names made from the resource's type and id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

Resource = dict[str, Any]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_ACTION = {
    "view": "R",
    "print": "R",
    "export": "R",
    "change": "U",
    "create": "C",
    "erase": "D",
}
PAIN_SCORE = "72514-3"  # pain severity, 0–10 verbal numeric rating, reported
PEG_SCORE = "91147-9"  # PEG three-item pain scale
EXERCISE_THERAPY = "229065009"  # SNOMED CT: exercise therapy
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Bundle references: uuid5 names in a namespace of our own (a fixed, made-up one).
NAMESPACE = uuid.UUID("0f6b8a52-3c1d-4e7a-9b2f-5d4c3a2b1e0f")


# --- The facts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """Where canonical URLs point: the site's public address."""

    base: str

    def canonical(self, kind: str, key: str) -> str:
        return f"{self.base}/fhir/{kind}/{key}"

    def extension(self, name: str) -> str:
        return f"{self.base}/fhir/StructureDefinition/{name}"

    def codes(self, name: str) -> str:
        return f"{self.base}/fhir/CodeSystem/{name}"


@dataclass(frozen=True)
class PatientFacts:
    key: int
    name: str
    email: str
    joined: datetime
    active: bool = True
    clinic: str = ""
    clinician: str = ""


@dataclass(frozen=True)
class ExerciseFacts:
    slug: str
    name: str
    summary: str = ""
    why: str = ""
    retired: bool = False


@dataclass(frozen=True)
class ItemFacts:
    """One exercise of a routine or template, with its dosage."""

    exercise: str  # slug
    name: str
    position: str
    hold_seconds: int
    repetitions: int
    sides: str  # none | each | alternating
    rest_seconds: int
    note: str = ""
    position_words: str = ""  # e.g. "on the floor"
    dosage_words: str = ""  # e.g. "hold 30 s, 3 times, each side, rest 10 s"


@dataclass(frozen=True)
class TemplateFacts:
    slug: str
    name: str
    description: str
    items: tuple[ItemFacts, ...]


@dataclass(frozen=True)
class VersionFacts:
    """One version of a patient's routine. ``status``: active (the routine's newest version
    while the routine is in use), revoked (replaced by a later one) or completed."""

    key: int
    routine: str  # the routine's name
    number: int
    items: tuple[ItemFacts, ...]
    days: tuple[int, ...]  # Monday 0
    times_per_day: int
    created_at: datetime
    status: str = "active"
    reason: str = ""
    created_by: str = ""
    template: str = ""  # template slug it started from
    review_date: date | None = None
    replaces: int | None = None  # key of the version before


@dataclass(frozen=True)
class SessionFacts:
    key: int
    version: int  # VersionFacts.key
    started_at: datetime
    ended_at: datetime
    completed: bool
    pain_before: int | None = None
    pain_after: int | None = None
    note: str = ""
    steps: tuple[dict[str, Any], ...] = ()
    summary: str = ""  # e.g. "12 holds done, 1 skipped"


@dataclass(frozen=True)
class HurtFacts:
    key: int
    session: int
    reported_at: datetime
    exercise: str
    position: str
    side: str
    severity: str  # code
    severity_words: str
    action_words: str
    numbness: bool
    step_index: int


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str


@dataclass(frozen=True)
class QuestionnaireFacts:
    """A questionnaire's words (ours), as the person saw them."""

    key: str  # peg | start-back | red-flag-screen
    title: str
    questions: tuple[Question, ...]
    kind: str  # answer type: integer | boolean | choice
    choices: tuple[str, ...] = ()  # for the last question of a choice questionnaire
    copyright: str = ""


@dataclass(frozen=True)
class AnswersFacts:
    """One filled-in questionnaire: answers by link id; ``scores`` become Observations."""

    key: int
    questionnaire: str
    authored: datetime | None
    answers: dict[str, int | bool]
    status: str = "completed"  # completed | in-progress (asked, not answered) | stopped (skipped)
    scores: tuple[Score, ...] = ()
    effective: date | datetime | None = None


@dataclass(frozen=True)
class Score:
    name: str  # id part, e.g. "overall"
    text: str
    value: int | float | None = None
    words: str = ""  # a value in words (a risk group, an urgency)
    code: str = ""  # a LOINC code when there is one
    note: str = ""


@dataclass(frozen=True)
class MessageFacts:
    key: int
    kind: str  # text | note | hurt
    kind_words: str
    from_patient: bool
    author: str
    clinic: str
    body: str
    sent: datetime
    session: int | None = None


@dataclass(frozen=True)
class AuditFacts:
    key: int
    at: datetime
    actor: str
    action: str
    what: str
    clinic: str = ""


@dataclass
class Record:
    """Everything to map for one patient (lists may be iterators, read once)."""

    patient: PatientFacts
    exercises: Sequence[ExerciseFacts] = ()
    templates: Sequence[TemplateFacts] = ()
    versions: Sequence[VersionFacts] = ()
    questionnaires: Sequence[QuestionnaireFacts] = ()
    sessions: Any = ()  # Iterable[SessionFacts]
    hurts: Any = ()  # Iterable[HurtFacts]
    answers: Any = ()  # Iterable[AnswersFacts]
    messages: Any = ()  # Iterable[MessageFacts]
    audit: Any = ()  # Iterable[AuditFacts]
    extra: list[Resource] = field(default_factory=list)


# --- Helpers --------------------------------------------------------------------------------


def urn(resource_type: str, resource_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{resource_type}/{resource_id}')}"


def ref(resource_type: str, resource_id: str) -> dict[str, str]:
    return {"reference": urn(resource_type, resource_id)}


def text(value: str) -> dict[str, str]:
    return {"text": value}


def when(value: date | datetime | time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("FHIR times need a time zone")
        return value.isoformat()
    return value.isoformat()


def clean(value: Any) -> Any:
    """``value`` without empty strings, None, empty lists and empty objects (FHIR has no
    empty values)."""
    if isinstance(value, dict):
        kept = {k: clean(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        kept_items = [clean(v) for v in value]
        return [v for v in kept_items if v not in (None, "", [], {})]
    if isinstance(value, str):
        return value.strip()
    return value


def entry(resource: Resource) -> Resource:
    return {"fullUrl": urn(resource["resourceType"], resource["id"]), "resource": resource}


def computable_name(slug: str) -> str:
    name = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", slug) if part)
    return name if name[:1].isalpha() else f"X{name}"


def patient_ref(patient: PatientFacts) -> dict[str, str]:
    return {**ref("Patient", f"patient-{patient.key}"), "display": patient.name or patient.email}


# --- The person and the prescription --------------------------------------------------------


def patient_resource(patient: PatientFacts) -> Resource:
    return clean(
        {
            "resourceType": "Patient",
            "id": f"patient-{patient.key}",
            "active": patient.active,
            "name": [text(patient.name)] if patient.name else [],
            "telecom": [{"system": "email", "value": patient.email, "use": "home"}],
            "managingOrganization": {"display": patient.clinic} if patient.clinic else None,
            "generalPractitioner": [{"display": patient.clinician}] if patient.clinician else [],
        }
    )


def exercise_resource(site: Site, exercise: ExerciseFacts) -> Resource:
    return clean(
        {
            "resourceType": "ActivityDefinition",
            "id": f"exercise-{exercise.slug}",
            "url": site.canonical("ActivityDefinition", exercise.slug),
            "name": computable_name(exercise.slug),
            "title": exercise.name,
            "status": "retired" if exercise.retired else "active",
            "kind": "ServiceRequest",
            "code": {
                "coding": [{"system": SNOMED, "code": EXERCISE_THERAPY}],
                "text": exercise.name,
            },
            "description": exercise.summary,
            "purpose": exercise.why,
        }
    )


def dosage_extension(site: Site, item: ItemFacts) -> Resource:
    return {
        "url": site.extension("exercise-dosage"),
        "extension": clean(
            [
                {"url": "position", "valueCode": item.position},
                {"url": "sides", "valueCode": item.sides},
                {"url": "holdSeconds", "valueInteger": item.hold_seconds},
                {"url": "repetitions", "valueInteger": item.repetitions},
                {"url": "restSeconds", "valueInteger": item.rest_seconds},
                {"url": "note", "valueString": item.note} if item.note.strip() else None,
            ]
        ),
    }


def item_words(item: ItemFacts) -> str:
    parts = [item.position_words or item.position, item.dosage_words, item.note]
    return " · ".join(part.strip() for part in parts if part and part.strip())


def template_resource(site: Site, template: TemplateFacts) -> Resource:
    return clean(
        {
            "resourceType": "PlanDefinition",
            "id": f"template-{template.slug}",
            "url": site.canonical("PlanDefinition", template.slug),
            "name": computable_name(template.slug),
            "title": template.name,
            "status": "active",
            "description": template.description,
            "action": [
                {
                    "title": item.name,
                    "description": item_words(item),
                    "definitionCanonical": site.canonical("ActivityDefinition", item.exercise),
                    "extension": [dosage_extension(site, item)],
                }
                for item in template.items
            ],
        }
    )


ACTIVITY_STATUS = {"active": "in-progress", "revoked": "stopped", "completed": "completed"}


def careplan_resource(site: Site, patient: PatientFacts, version: VersionFacts) -> Resource:
    timing = {
        "repeat": {
            "frequency": max(version.times_per_day, 1),
            "period": 1,
            "periodUnit": "d",
            "dayOfWeek": [WEEKDAYS[day] for day in sorted(set(version.days)) if 0 <= day < 7],
        }
    }
    return clean(
        {
            "resourceType": "CarePlan",
            "id": f"routine-version-{version.key}",
            "status": version.status,
            "intent": "plan",
            "title": f"{version.routine} (v{version.number})",
            "description": version.reason,
            "subject": patient_ref(patient),
            "created": when(version.created_at),
            "period": {"start": when(version.created_at), "end": when(version.review_date)},
            "author": {"display": version.created_by} if version.created_by else None,
            "instantiatesCanonical": (
                [site.canonical("PlanDefinition", version.template)] if version.template else []
            ),
            "replaces": (
                [ref("CarePlan", f"routine-version-{version.replaces}")]
                if version.replaces is not None
                else []
            ),
            "activity": [
                {
                    "detail": {
                        "extension": [dosage_extension(site, item)],
                        "kind": "ServiceRequest",
                        "instantiatesCanonical": [
                            site.canonical("ActivityDefinition", item.exercise)
                        ],
                        "code": text(item.name),
                        "status": ACTIVITY_STATUS.get(version.status, "unknown"),
                        "scheduledTiming": timing,
                        "description": item_words(item),
                    }
                }
                for item in version.items
            ],
        }
    )


# --- Sessions -------------------------------------------------------------------------------

STEP_FIELDS = ("index", "kind", "exercise", "position", "side", "rep", "result", "hurt_severity")


def step_extension(site: Site, step: dict[str, Any]) -> Resource | None:
    parts = []
    for name in STEP_FIELDS:
        value = step.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            parts.append({"url": name, "valueBoolean": value})
        elif isinstance(value, int):
            parts.append({"url": name, "valueInteger": value})
        elif str(value).strip():
            parts.append({"url": name, "valueString": str(value).strip()})
    if not parts:
        return None
    return {"url": site.extension("session-step"), "extension": parts}


def session_resources(
    site: Site, patient: PatientFacts, session: SessionFacts, pain_words: tuple[str, str]
) -> Iterator[Resource]:
    """The Procedure, then its pain Observations (before, after) when they were given."""
    procedure_id = f"session-{session.key}"
    yield clean(
        {
            "resourceType": "Procedure",
            "id": procedure_id,
            "extension": [step_extension(site, step) for step in session.steps],
            "basedOn": [ref("CarePlan", f"routine-version-{session.version}")],
            "status": "completed" if session.completed else "stopped",
            "code": {
                "coding": [{"system": SNOMED, "code": EXERCISE_THERAPY}],
                "text": "Home exercise session",
            },
            "subject": patient_ref(patient),
            "performedPeriod": {"start": when(session.started_at), "end": when(session.ended_at)},
            "outcome": text(session.summary) if session.summary else None,
            "note": [text(session.note)] if session.note.strip() else [],
        }
    )
    for suffix, value, at, words in (
        ("before", session.pain_before, session.started_at, pain_words[0]),
        ("after", session.pain_after, session.ended_at, pain_words[1]),
    ):
        if value is None:
            continue
        yield clean(
            {
                "resourceType": "Observation",
                "id": f"pain-{suffix}-{session.key}",
                "status": "final",
                "category": [survey()],
                "code": {"coding": [{"system": LOINC, "code": PAIN_SCORE}], "text": words},
                "subject": patient_ref(patient),
                "partOf": [ref("Procedure", procedure_id)],
                "effectiveDateTime": when(at),
                "valueInteger": value,
                "referenceRange": [{"low": {"value": 0}, "high": {"value": 10}}],
            }
        )


def survey() -> Resource:
    return {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}


def hurt_resource(site: Site, patient: PatientFacts, hurt: HurtFacts) -> Resource:
    def component(name: str, value: Resource) -> Resource:
        return {"code": text(name), **value}

    return clean(
        {
            "resourceType": "Observation",
            "id": f"hurt-{hurt.key}",
            "status": "final",
            "category": [survey()],
            "code": text("“This hurts” during a session"),
            "subject": patient_ref(patient),
            "partOf": [ref("Procedure", f"session-{hurt.session}")],
            "effectiveDateTime": when(hurt.reported_at),
            "valueCodeableConcept": {
                "coding": [{"system": site.codes("hurt-severity"), "code": hurt.severity}],
                "text": hurt.severity_words,
            },
            "component": [
                component("exercise", {"valueString": hurt.exercise}),
                component("position", {"valueString": hurt.position}),
                component("side", {"valueString": hurt.side}) if hurt.side else None,
                component("step", {"valueInteger": hurt.step_index}),
                component("numbness or tingling", {"valueBoolean": hurt.numbness}),
                component("what the patient chose", {"valueString": hurt.action_words}),
            ],
        }
    )


# --- Questionnaires -------------------------------------------------------------------------

QUESTION_TYPE = {"integer": "integer", "boolean": "boolean", "choice": "choice"}


def questionnaire_resource(site: Site, facts: QuestionnaireFacts) -> Resource:
    items = []
    for number, question in enumerate(facts.questions, start=1):
        last = number == len(facts.questions)
        kind = facts.kind
        if kind == "choice" and not last:
            kind = "boolean"  # STarT Back: agree/disagree, then a five-point last item
        items.append(
            {
                "linkId": question.link_id,
                "text": question.text,
                "type": QUESTION_TYPE[kind],
                "answerOption": (
                    [
                        {
                            "valueCoding": {
                                "system": site.codes(f"{facts.key}-choices"),
                                "code": str(index),
                                "display": choice,
                            }
                        }
                        for index, choice in enumerate(facts.choices)
                    ]
                    if kind == "choice"
                    else []
                ),
            }
        )
    return clean(
        {
            "resourceType": "Questionnaire",
            "id": f"questionnaire-{facts.key}",
            "url": site.canonical("Questionnaire", facts.key),
            "name": computable_name(facts.key),
            "title": facts.title,
            "status": "active",
            "subjectType": ["Patient"],
            "copyright": facts.copyright,
            "item": items,
        }
    )


def answer_value(
    site: Site, questionnaire: QuestionnaireFacts, link_id: str, value: int | bool
) -> Resource:
    last = questionnaire.questions[-1].link_id == link_id
    if questionnaire.kind == "choice" and last:
        index = int(value)
        display = questionnaire.choices[index] if 0 <= index < len(questionnaire.choices) else ""
        return {
            "valueCoding": clean(
                {
                    "system": site.codes(f"{questionnaire.key}-choices"),
                    "code": str(index),
                    "display": display,
                }
            )
        }
    if questionnaire.kind in ("boolean", "choice"):
        return {"valueBoolean": bool(value)}
    return {"valueInteger": int(value)}


def answers_resources(
    site: Site,
    patient: PatientFacts,
    questionnaire: QuestionnaireFacts,
    answers: AnswersFacts,
) -> Iterator[Resource]:
    """The QuestionnaireResponse, then an Observation for each score."""
    response_id = f"{questionnaire.key}-{answers.key}"
    texts = {q.link_id: q.text for q in questionnaire.questions}
    yield clean(
        {
            "resourceType": "QuestionnaireResponse",
            "id": response_id,
            "questionnaire": site.canonical("Questionnaire", questionnaire.key),
            "status": answers.status,
            "subject": patient_ref(patient),
            "authored": when(answers.authored),
            "author": patient_ref(patient) if answers.status == "completed" else None,
            "item": [
                {
                    "linkId": link_id,
                    "text": texts.get(link_id, ""),
                    "answer": [answer_value(site, questionnaire, link_id, value)],
                }
                for link_id, value in answers.answers.items()
            ],
        }
    )
    effective = answers.effective or answers.authored
    for score in answers.scores:
        coding = [{"system": LOINC, "code": score.code}] if score.code else []
        value: Resource = {}
        if score.words:
            value = {"valueCodeableConcept": text(score.words)}
        elif isinstance(score.value, int):
            value = {"valueInteger": score.value}
        elif score.value is not None:
            value = {"valueQuantity": {"value": score.value, "system": UCUM, "code": "{score}"}}
        yield clean(
            {
                "resourceType": "Observation",
                "id": f"{response_id}-{score.name}",
                "status": "final",
                "category": [survey()],
                "code": {"coding": coding, "text": score.text},
                "subject": patient_ref(patient),
                "effectiveDateTime": when(effective),
                "derivedFrom": [ref("QuestionnaireResponse", response_id)],
                "note": [text(score.note)] if score.note else [],
                **value,
            }
        )


# --- Messages and the audit trail -----------------------------------------------------------


def message_resource(
    patient: PatientFacts, message: MessageFacts, session_ids: set[int] | None = None
) -> Resource:
    clinic = {"display": message.clinic} if message.clinic else None
    staff = {"display": message.author or message.clinic} if message.author else clinic
    about = []
    if message.session is not None and (session_ids is None or message.session in session_ids):
        about = [ref("Procedure", f"session-{message.session}")]
    return clean(
        {
            "resourceType": "Communication",
            "id": f"message-{message.key}",
            "status": "completed",
            "category": [text(message.kind_words)],
            "subject": patient_ref(patient),
            "about": about,
            "sent": when(message.sent),
            "sender": patient_ref(patient) if message.from_patient else staff,
            "recipient": [clinic] if message.from_patient else [patient_ref(patient)],
            "payload": [{"contentString": message.body}],
        }
    )


def audit_resource(patient: PatientFacts, event: AuditFacts) -> Resource:
    return clean(
        {
            "resourceType": "AuditEvent",
            "id": f"audit-{event.key}",
            "type": {"system": DICOM, "code": "110110", "display": "Patient Record"},
            "action": AUDIT_ACTION.get(event.action, "E"),
            "recorded": when(event.at),
            "agent": [
                {
                    "who": {"display": event.actor or "a deleted account"},
                    "requestor": True,
                }
            ],
            "source": {
                "site": event.clinic,
                "observer": {
                    "display": f"Backstretch{f' · {event.clinic}' if event.clinic else ''}"
                },
            },
            "entity": [{"what": patient_ref(patient), "description": event.what}],
        }
    )


# --- The Bundle -----------------------------------------------------------------------------


def record_resources(
    site: Site, record: Record, pain_words: tuple[str, str] = ("Pain before", "Pain after")
) -> Iterator[Resource]:
    """Every resource of one patient's record, in an order that reads well: the person, the
    library and templates used, the prescriptions, then the sessions and the rest."""
    patient = record.patient
    yield patient_resource(patient)
    for exercise in record.exercises:
        yield exercise_resource(site, exercise)
    for template in record.templates:
        yield template_resource(site, template)
    for version in record.versions:
        yield careplan_resource(site, patient, version)
    questionnaires = {q.key: q for q in record.questionnaires}
    for questionnaire in record.questionnaires:
        yield questionnaire_resource(site, questionnaire)
    session_ids: set[int] = set()
    for session in record.sessions:
        session_ids.add(session.key)
        yield from session_resources(site, patient, session, pain_words)
    for hurt in record.hurts:
        yield hurt_resource(site, patient, hurt)
    for answers in record.answers:
        yield from answers_resources(site, patient, questionnaires[answers.questionnaire], answers)
    for message in record.messages:
        yield message_resource(patient, message, session_ids)
    for event in record.audit:
        yield audit_resource(patient, event)
    yield from record.extra


def bundle_head(timestamp: datetime) -> Resource:
    return {"resourceType": "Bundle", "type": "collection", "timestamp": when(timestamp)}


def bundle(resources: Iterator[Resource] | Sequence[Resource], timestamp: datetime) -> Resource:
    """A whole Bundle in memory (tests, small records); ``records.export`` streams one."""
    return {**bundle_head(timestamp), "entry": [entry(r) for r in resources]}
