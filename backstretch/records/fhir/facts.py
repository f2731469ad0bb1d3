"""The facts the FHIR mapping reads (plain dataclasses) and the helpers every resource uses."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
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


def survey() -> Resource:
    return {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}
