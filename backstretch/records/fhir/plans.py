"""The person, the library, the prescription and the sessions as FHIR resources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .facts import (
    EXERCISE_THERAPY,
    LOINC,
    PAIN_SCORE,
    SNOMED,
    WEEKDAYS,
    ExerciseFacts,
    HurtFacts,
    ItemFacts,
    PatientFacts,
    Resource,
    SessionFacts,
    Site,
    TemplateFacts,
    VersionFacts,
    clean,
    computable_name,
    patient_ref,
    ref,
    survey,
    text,
    when,
)

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

# camera_seconds and camera_rep: what the camera coach saw of a hold (time in position, whether
# it counted the hold), present only for holds it watched; never a range-of-motion measurement.
STEP_FIELDS = (
    "index",
    "kind",
    "exercise",
    "position",
    "side",
    "rep",
    "result",
    "hurt_severity",
    "camera_seconds",
    "camera_rep",
)


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
        elif isinstance(value, float):
            parts.append({"url": name, "valueDecimal": value})
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
