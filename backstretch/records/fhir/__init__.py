"""Our data as FHIR R4 resources (JSON-ready dicts). Pure: no Django; the facts come in as the
plain dataclasses of ``facts.py`` (``records.gather`` reads them from the database).

The mapping (docs/data.md has it as a table):

- an exercise → ActivityDefinition (canonical: ``<site>/fhir/ActivityDefinition/<slug>``);
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

from collections.abc import Iterator, Sequence
from datetime import datetime

from .answers import (
    answer_value,
    answers_resources,
    audit_resource,
    message_resource,
    questionnaire_resource,
)
from .facts import (
    AUDIT_ACTION,
    DICOM,
    EXERCISE_THERAPY,
    LOINC,
    NAMESPACE,
    OBSERVATION_CATEGORY,
    PAIN_SCORE,
    PEG_SCORE,
    SNOMED,
    UCUM,
    WEEKDAYS,
    AnswersFacts,
    AuditFacts,
    ExerciseFacts,
    HurtFacts,
    ItemFacts,
    MessageFacts,
    PatientFacts,
    Question,
    QuestionnaireFacts,
    Record,
    Resource,
    Score,
    SessionFacts,
    Site,
    TemplateFacts,
    VersionFacts,
    clean,
    computable_name,
    entry,
    patient_ref,
    ref,
    survey,
    text,
    urn,
    when,
)
from .plans import (
    STEP_FIELDS,
    careplan_resource,
    dosage_extension,
    exercise_resource,
    hurt_resource,
    patient_resource,
    session_resources,
    step_extension,
    template_resource,
)

__all__ = [
    "AUDIT_ACTION",
    "DICOM",
    "EXERCISE_THERAPY",
    "LOINC",
    "NAMESPACE",
    "OBSERVATION_CATEGORY",
    "PAIN_SCORE",
    "PEG_SCORE",
    "SNOMED",
    "STEP_FIELDS",
    "UCUM",
    "WEEKDAYS",
    "AnswersFacts",
    "AuditFacts",
    "ExerciseFacts",
    "HurtFacts",
    "ItemFacts",
    "MessageFacts",
    "PatientFacts",
    "Question",
    "QuestionnaireFacts",
    "Record",
    "Resource",
    "Score",
    "SessionFacts",
    "Site",
    "TemplateFacts",
    "VersionFacts",
    "answer_value",
    "answers_resources",
    "audit_resource",
    "bundle",
    "bundle_head",
    "careplan_resource",
    "clean",
    "computable_name",
    "dosage_extension",
    "entry",
    "exercise_resource",
    "hurt_resource",
    "message_resource",
    "patient_ref",
    "patient_resource",
    "questionnaire_resource",
    "record_resources",
    "ref",
    "session_resources",
    "step_extension",
    "survey",
    "template_resource",
    "text",
    "urn",
    "when",
]


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
