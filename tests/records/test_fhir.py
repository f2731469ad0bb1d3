"""The FHIR mapping (backstretch/records/fhir.py), pure: the facts HL7 and LOINC give, and every
resource it makes from generated records valid under FHIR R4B."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fhir.resources.R4B import get_fhir_model_class
from hypothesis import given, settings
from hypothesis import strategies as st

from backstretch.records import fhir
from tests.fhir_check import validate_bundle

SITE = fhir.Site("https://clinic.example.org")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATIENT = fhir.PatientFacts(7, "Alice Able", "alice@example.org", START, clinic="Northside")
ITEM = fhir.ItemFacts("cat-camel", "Cat-camel", "floor", 30, 3, "each", 10, note="Slowly")
START_BACK = fhir.QuestionnaireFacts(
    "start-back",
    "STarT Back",
    tuple(fhir.Question(str(n), f"statement {n}") for n in range(1, 10)),
    "choice",
    ("Not at all", "Slightly", "Moderately", "Very much", "Extremely"),
    copyright="Keele STarT Back Screening Tool © Keele University 01/08/07.",
)
PEG = fhir.QuestionnaireFacts(
    "peg", "PEG", tuple(fhir.Question(k, k) for k in ("pain", "enjoyment", "activity")), "integer"
)


def version(key: int, number: int, **changes: object) -> fhir.VersionFacts:
    facts = {
        "key": key,
        "routine": "Daily four",
        "number": number,
        "items": (ITEM,),
        "days": (0, 2, 4),
        "times_per_day": 1,
        "created_at": START,
    }
    return fhir.VersionFacts(**(facts | changes))  # type: ignore[arg-type]


def by_id(resources: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in resources}


def test_a_new_version_of_a_routine_replaces_the_one_before():
    old = fhir.careplan_resource(SITE, PATIENT, version(1, 1, status="revoked"))
    new = fhir.careplan_resource(SITE, PATIENT, version(2, 2, replaces=1, template="daily-four"))
    assert old["status"] == "revoked" and "replaces" not in old
    assert new["replaces"] == [{"reference": fhir.urn("CarePlan", "routine-version-1")}]
    assert new["instantiatesCanonical"] == [
        "https://clinic.example.org/fhir/PlanDefinition/daily-four"
    ]
    detail = new["activity"][0]["detail"]
    assert detail["scheduledTiming"]["repeat"]["dayOfWeek"] == ["mon", "wed", "fri"]
    dosage = {e["url"]: e for e in detail["extension"][0]["extension"]}
    assert dosage["position"]["valueCode"] == "floor"
    assert dosage["sides"]["valueCode"] == "each"
    assert dosage["holdSeconds"]["valueInteger"] == 30
    assert dosage["repetitions"]["valueInteger"] == 3
    assert detail["instantiatesCanonical"] == [
        "https://clinic.example.org/fhir/ActivityDefinition/cat-camel"
    ]


def test_a_session_is_a_procedure_based_on_its_careplan_with_pain_as_loinc_observations():
    session = fhir.SessionFacts(
        3, 2, START, START + timedelta(minutes=9), True, pain_before=6, pain_after=3,
        steps=({"index": 0, "kind": "hold", "result": "hurt", "hurt_severity": "lot"},),
    )  # fmt: skip
    procedure, before, after = fhir.session_resources(SITE, PATIENT, session, ("before", "after"))
    assert procedure["resourceType"] == "Procedure"
    assert procedure["basedOn"] == [{"reference": fhir.urn("CarePlan", "routine-version-2")}]
    assert procedure["code"]["coding"] == [{"system": fhir.SNOMED, "code": "229065009"}]
    step = {e["url"]: e for e in procedure["extension"][0]["extension"]}
    assert step["result"]["valueString"] == "hurt"
    for observation, value in ((before, 6), (after, 3)):
        assert observation["code"]["coding"] == [{"system": fhir.LOINC, "code": "72514-3"}]
        assert observation["valueInteger"] == value
        assert observation["partOf"] == [{"reference": fhir.urn("Procedure", "session-3")}]


def test_what_the_camera_saw_of_a_hold_goes_with_its_step_and_is_valid_fhir():
    watched = {"index": 2, "kind": "hold", "result": "done", "camera_seconds": 27.5}
    session = fhir.SessionFacts(
        3, 2, START, START + timedelta(minutes=9), True,
        steps=(watched | {"camera_rep": False}, {"index": 4, "kind": "hold", "result": "done"}),
    )  # fmt: skip
    (procedure,) = fhir.session_resources(SITE, PATIENT, session, ("before", "after"))
    first, second = ({e["url"]: e for e in s["extension"]} for s in procedure["extension"])
    assert first["camera_seconds"] == {"url": "camera_seconds", "valueDecimal": 27.5}
    assert first["camera_rep"] == {"url": "camera_rep", "valueBoolean": False}
    assert "camera_seconds" not in second and "camera_rep" not in second
    get_fhir_model_class("Procedure").model_validate(procedure)


def test_a_session_without_pain_scores_has_no_pain_observations():
    session = fhir.SessionFacts(3, 2, START, START + timedelta(minutes=9), False)
    resources = list(fhir.session_resources(SITE, PATIENT, session, ("before", "after")))
    assert [r["resourceType"] for r in resources] == ["Procedure"]
    assert resources[0]["status"] == "stopped"


def test_peg_answers_and_their_score_use_loinc_91147_9():
    answers = fhir.AnswersFacts(
        4, "peg", START, {"pain": 6, "enjoyment": 4, "activity": 5},
        scores=(fhir.Score("score", "PEG", 5.0, code=fhir.PEG_SCORE),), effective=date(2026, 3, 2),
    )  # fmt: skip
    response, score = fhir.answers_resources(SITE, PATIENT, PEG, answers)
    assert response["questionnaire"] == "https://clinic.example.org/fhir/Questionnaire/peg"
    assert [i["answer"][0]["valueInteger"] for i in response["item"]] == [6, 4, 5]
    assert score["code"]["coding"] == [{"system": fhir.LOINC, "code": "91147-9"}]
    assert score["valueQuantity"]["value"] == 5.0
    assert score["derivedFrom"] == [{"reference": fhir.urn("QuestionnaireResponse", "peg-4")}]


def test_start_back_keeps_keeles_copyright_line_and_its_last_item_is_a_choice():
    questionnaire = fhir.questionnaire_resource(SITE, START_BACK)
    assert questionnaire["copyright"].startswith("Keele STarT Back Screening Tool ©")
    assert [i["type"] for i in questionnaire["item"]] == ["boolean"] * 8 + ["choice"]
    answers = fhir.AnswersFacts(5, "start-back", START, {str(n): 1 for n in range(1, 9)} | {"9": 3})
    (response,) = fhir.answers_resources(SITE, PATIENT, START_BACK, answers)
    assert response["item"][0]["answer"] == [{"valueBoolean": True}]
    assert response["item"][8]["answer"][0]["valueCoding"]["display"] == "Very much"


def test_a_message_about_a_session_points_at_its_procedure_only_when_the_session_is_there():
    note = fhir.MessageFacts(
        1, "note", "session note", True, "Alice", "Northside", "Stiff", START, 3
    )
    assert fhir.message_resource(PATIENT, note, {3})["about"] == [
        {"reference": fhir.urn("Procedure", "session-3")}
    ]
    assert "about" not in fhir.message_resource(PATIENT, note, {4})
    reply = fhir.MessageFacts(2, "text", "message", False, "Bob", "Northside", "Fine", START)
    communication = fhir.message_resource(PATIENT, reply)
    assert communication["sender"] == {"display": "Bob"}
    assert communication["recipient"][0]["reference"] == fhir.urn("Patient", "patient-7")


def test_empty_values_never_reach_the_resource():
    patient = fhir.patient_resource(fhir.PatientFacts(1, "", "x@example.org", START))
    assert "name" not in patient and "managingOrganization" not in patient
    assert fhir.clean({"a": "", "b": [None, {}], "c": {"d": []}, "e": False}) == {"e": False}


def test_times_without_a_zone_are_refused():
    try:
        fhir.when(datetime(2026, 1, 1, 9))
    except ValueError as error:
        assert "time zone" in str(error)
    else:
        raise AssertionError("a naive time was accepted")


# --- Generated records: whatever we hold, what we emit is valid FHIR R4 ---------------------

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
items = st.builds(
    fhir.ItemFacts,
    exercise=slugs,
    name=words.filter(str.strip),
    position=st.sampled_from(["floor", "bed", "chair", "standing"]),
    hold_seconds=st.integers(1, 900),
    repetitions=st.integers(1, 50),
    sides=st.sampled_from(["none", "each", "alternating"]),
    rest_seconds=st.integers(0, 300),
    note=words,
    position_words=words,
    dosage_words=words,
)
steps = st.fixed_dictionaries(
    {},
    optional={
        "index": st.integers(0, 500),
        "kind": st.sampled_from(["intro", "hold", "rest"]),
        "exercise": slugs,
        "side": st.sampled_from(["left", "right", ""]),
        "rep": st.integers(1, 50),
        "result": st.sampled_from(["done", "skipped", "hurt"]),
        "hurt_severity": st.sampled_from(["little", "lot", "sharp"]),
        "camera_seconds": st.floats(0, 3600).map(lambda seconds: round(seconds, 1)),
        "camera_rep": st.booleans(),
    },
)
pain = st.none() | st.integers(0, 10)


@st.composite
def records(draw: st.DrawFn) -> fhir.Record:
    patient = fhir.PatientFacts(
        draw(st.integers(1, 10**6)),
        draw(words),
        draw(st.emails()),
        draw(moments),
        clinic=draw(words),
        clinician=draw(words),
    )
    count = draw(st.integers(1, 3))
    versions = [
        version(
            key,
            key,
            items=tuple(draw(st.lists(items, min_size=1, max_size=3))),
            days=tuple(draw(st.lists(st.integers(0, 6), max_size=7))),
            times_per_day=draw(st.integers(1, 3)),
            created_at=draw(moments),
            status="active" if key == count else "revoked",
            reason=draw(words),
            created_by=draw(words),
            template=draw(st.sampled_from(["", "daily-four"])),
            review_date=draw(st.none() | st.dates()),
            replaces=key - 1 if key > 1 else None,
        )
        for key in range(1, count + 1)
    ]
    sessions = []
    for key in range(1, draw(st.integers(0, 4)) + 1):
        started = draw(moments)
        sessions.append(
            fhir.SessionFacts(
                key,
                draw(st.integers(1, count)),
                started,
                started + timedelta(minutes=draw(st.integers(0, 90))),
                draw(st.booleans()),
                draw(pain),
                draw(pain),
                draw(words),
                tuple(draw(st.lists(steps, max_size=4))),
                draw(words),
            )
        )
    hurts = [
        fhir.HurtFacts(
            n,
            s.key,
            s.ended_at,
            draw(slugs),
            "floor",
            draw(st.sampled_from(["", "left"])),
            "lot",
            draw(words),
            draw(words),
            draw(st.booleans()),
            draw(st.integers(0, 99)),
        )
        for n, s in enumerate(sessions, start=1)
        if draw(st.booleans())
    ]
    answers = []
    for key in range(1, draw(st.integers(0, 3)) + 1):
        if draw(st.booleans()):
            values = {k: draw(st.integers(0, 10)) for k in ("pain", "enjoyment", "activity")}
            score = fhir.Score("score", "PEG", round(sum(values.values()) / 3, 1), code="91147-9")
            answers.append(fhir.AnswersFacts(key, "peg", draw(moments), values, scores=(score,)))
        else:
            values = {str(n): draw(st.integers(0, 1)) for n in range(1, 9)}
            values["9"] = draw(st.integers(0, 4))
            scores = (fhir.Score("overall", "overall", 3), fhir.Score("risk", "risk", words="low"))
            answers.append(
                fhir.AnswersFacts(key, "start-back", draw(moments), values, scores=scores)
            )
    messages = [
        fhir.MessageFacts(
            key,
            "text",
            "message",
            draw(st.booleans()),
            draw(words),
            draw(words),
            draw(words.filter(str.strip)),
            draw(moments),
            draw(st.none() | st.integers(1, 4)),
        )
        for key in range(1, draw(st.integers(0, 3)) + 1)
    ]
    audit = [
        fhir.AuditFacts(
            key,
            draw(moments),
            draw(words),
            draw(st.sampled_from(list(fhir.AUDIT_ACTION))),
            draw(words.filter(str.strip)),
            draw(words),
        )
        for key in range(1, draw(st.integers(0, 2)) + 1)
    ]
    return fhir.Record(
        patient=patient,
        exercises=[
            fhir.ExerciseFacts(slug, name)
            for slug, name in {i.exercise: i.name for v in versions for i in v.items}.items()
        ],
        templates=[fhir.TemplateFacts("daily-four", "Daily four", "Four stretches.", (ITEM,))],
        versions=versions,
        questionnaires=[PEG, START_BACK],
        sessions=sessions,
        hurts=hurts,
        answers=answers,
        messages=messages,
        audit=audit,
    )


@settings(max_examples=40, deadline=None)
@given(records())
def test_every_resource_made_from_any_record_is_valid_fhir_r4(record):
    resources = list(fhir.record_resources(SITE, record))
    kinds = validate_bundle(fhir.bundle(resources, START))
    assert kinds["Patient"] == 1
    assert kinds["CarePlan"] == len(record.versions)
    assert kinds["Procedure"] == len(record.sessions)
    assert kinds["Communication"] == len(record.messages)
    assert (
        len({r["id"] for r in resources if r["resourceType"] == "Observation"})
        == kinds["Observation"]
    )
