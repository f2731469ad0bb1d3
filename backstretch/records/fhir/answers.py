"""Questionnaires and their answers, messages and the audit trail as FHIR resources."""

from __future__ import annotations

from collections.abc import Iterator

from .facts import (
    AUDIT_ACTION,
    DICOM,
    LOINC,
    UCUM,
    AnswersFacts,
    AuditFacts,
    MessageFacts,
    PatientFacts,
    QuestionnaireFacts,
    Resource,
    Site,
    clean,
    computable_name,
    patient_ref,
    ref,
    survey,
    text,
    when,
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
