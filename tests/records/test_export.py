"""Downloading a record: the patient's zip and FHIR Bundle (page and API), a clinician's FHIR
export of one patient, each in the audit log, and every resource valid FHIR R4."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.test import Client

from backstretch.accounts.models import PatientProfile
from backstretch.clinic.models import AuditEvent
from backstretch.outcomes.questions import START_BACK_COPYRIGHT
from backstretch.records.tables import TABLES
from tests.fhir_check import validate_bundle
from tests.records.conftest import EMAIL, NAME
from tests.sessions import practise

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def open_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def test_the_zip_holds_every_file_the_readme_describes_and_they_open(zebedee):
    response = logged_in(zebedee).get("/accounts/profile/export/?format=zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="backstretch-record-')
    files = open_zip(body(response))
    readme = files["README.txt"]
    assert set(files) == {"README.txt", "account.json", *(t.name for t in TABLES)}
    for name in set(files) - {"README.txt"}:
        assert name in readme, f"README.txt says nothing about {name}"
    assert START_BACK_COPYRIGHT in readme
    account = json.loads(files["account.json"])
    assert (account["name"], account["email"], account["clinic"]) == (NAME, EMAIL, "Northside")
    assert account["reminders"]["channels"] == ["email", "calendar"]
    sessions = rows(files, "sessions.csv")
    assert [(s["pain_before"], s["pain_after"]) for s in sessions] == [("5", "4"), ("3", "7")]
    assert sessions[0]["note"] == "Stiff this morning, Zebedee here"
    steps = rows(files, "session_steps.csv")
    assert [s["result"] for s in steps if s["session"] == sessions[0]["session"]] == [
        "done",
        "hurt",
        "skipped",
    ]
    assert rows(files, "this_hurts.csv")[0]["numbness"] == "yes"
    assert [r["version"] for r in rows(files, "routines.csv")] == ["1", "2"]
    assert rows(files, "routines.csv")[1]["reason"] == "More reps"
    assert rows(files, "checkins_peg.csv")[0]["score"] == "5.0"
    assert rows(files, "start_back.csv")[0]["risk_group"] == "medium"
    assert rows(files, "safety_questions.csv")[0]["cancer"] == "yes"
    assert {m["text"] for m in rows(files, "messages.csv")} >= {
        "Hello from Zebedee",
        f"Hello {NAME}, see you Tuesday",
    }
    assert rows(files, "api_tokens.csv")[0]["label"] == "Zebedee's laptop"
    assert "patient page" in {a["what"] for a in rows(files, "audit.csv")}
    assert rows(files, "clinic_follow_ups.csv")[0]["note"] == "Rang"
    assert rows(files, "push_notifications.csv")[0]["push_service"] == "push.example.net"


# Every table with a column that points at a person, and the file of the zip that holds its
# rows about the patient, or why it holds none. A new table fails the test until it is here.
IN_THE_ZIP = {
    "accounts.User": "account.json",
    "accounts.PatientProfile": "account.json",
    "accounts.ApiToken": "api_tokens.csv",
    "clinic.AuditEvent": "audit.csv",
    "clinic.DealtWith": "clinic_follow_ups.csv",
    "routines.Routine": "routines.csv",
    "routines.RoutineVersion": "routines.csv",
    "practice.PracticeSession": "sessions.csv",
    "practice.HurtReport": "this_hurts.csv",
    "checkins.PegCheckin": "checkins_peg.csv",
    "checkins.StartBack": "start_back.csv",
    "safety.RedFlagScreen": "safety_questions.csv",
    "safety.RescreenRequest": "safety_asked_again.csv",
    "reminders.ReminderSettings": "account.json",
    "reminders.SentReminder": "reminders_sent.csv",
    "messaging.Thread": "messages.csv",
    "messaging.Message": "messages.csv",
    "push.PushSubscription": "push_notifications.csv",
}
NOT_IN_THE_ZIP = {
    "clinic.Membership": "staff only: patients have none",
    "clinic.Invitation": "the clinic's invitation, spent when the patient joined",
    "routines.ClinicTemplate": "a clinic's own programme, not about a patient",
    "checkins.ProgressionSettings": "the clinician's settings; the changes they make are versions",
    "checkins.ProgressionProposal": "a proposal; when taken up it is a routine version",
    "clinic.Standing": "the dashboard's order, worked out again from the records in the zip",
    "records.ClinicExport": "the admin who asked for a clinic export: staff only",
}


def test_every_table_that_names_a_person_is_in_the_zip_or_says_why_not():
    from django.apps import apps

    from backstretch.accounts.models import User

    pointing = {
        model._meta.label
        for config in apps.get_app_configs()
        if config.name.startswith("backstretch.")
        for model in config.get_models()
        if model is User
        or any(getattr(f, "related_model", None) is User for f in model._meta.get_fields())
        or any(
            getattr(f, "related_model", None) is not None
            and f.related_model._meta.label in IN_THE_ZIP
            and f.many_to_one
            for f in model._meta.get_fields()
        )
    }
    assert pointing - set(IN_THE_ZIP) - set(NOT_IN_THE_ZIP) == set()
    names = {t.name for t in TABLES} | {"account.json"}
    assert set(IN_THE_ZIP.values()) <= names


def test_the_fhir_bundle_is_valid_and_holds_the_whole_record(zebedee):
    response = logged_in(zebedee).get("/accounts/profile/export/?format=fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(body(response))
    kinds = validate_bundle(bundle)
    assert kinds["Patient"] == 1
    assert kinds["CarePlan"] == 2
    assert kinds["Procedure"] == 2
    assert kinds["QuestionnaireResponse"] == 3  # PEG, STarT Back, safety questions
    assert kinds["Communication"] >= 4  # two messages, the note, "this hurts"
    assert kinds["AuditEvent"] >= 1
    resources = [e["resource"] for e in bundle["entry"]]
    plans = [r for r in resources if r["resourceType"] == "CarePlan"]
    url_of = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    assert plans[1]["replaces"] == [{"reference": url_of[plans[0]["id"]]}]
    start_back = next(r for r in resources if r["id"] == "questionnaire-start-back")
    assert start_back["copyright"] == START_BACK_COPYRIGHT


def test_a_spanish_patients_own_record_names_the_exercises_in_spanish(zebedee):
    zebedee.language = "es"
    zebedee.save(update_fields=["language"])
    bundle = json.loads(body(logged_in(zebedee).get("/accounts/profile/export/?format=fhir")))
    names = {
        r["title"]
        for r in (e["resource"] for e in bundle["entry"])
        if r["resourceType"] == "ActivityDefinition"
    }
    assert "Estiramiento en rotación (balanceo de rodillas)" in names
    plan = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    )
    activities = {a["detail"]["code"]["text"] for a in plan["activity"]}
    assert "Estiramiento en rotación (balanceo de rodillas)" in activities


def test_a_clinic_patients_own_export_is_in_the_clinics_audit_log(zebedee, northside):
    logged_in(zebedee).get("/accounts/profile/export/?format=zip")
    event = AuditEvent.objects.filter(action="export").get()
    assert (event.actor, event.patient, event.clinic) == (zebedee, zebedee, northside)
    assert event.what == "own record (zip), by the patient"


def test_an_unknown_format_says_which_ones_there_are(patient):
    response = logged_in(patient).get("/accounts/profile/export/?format=pdf")
    assert response.status_code == 400
    assert "format=zip" in response.content.decode()
    assert "format=fhir" in response.content.decode()


def test_the_api_gives_the_same_record_with_a_token(zebedee):
    from backstretch.accounts.tokens import create_token

    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(zebedee, 'script')[1]}")
    fhir = api.get("/api/v1/me/export")
    assert fhir.status_code == 200 and fhir["Content-Type"] == "application/fhir+json"
    assert validate_bundle(json.loads(body(fhir)))["Procedure"] == 2
    files = open_zip(b"".join(api.get("/api/v1/me/export?format=zip").streaming_content))
    assert len(rows(files, "sessions.csv")) == 2
    wrong = api.get("/api/v1/me/export?format=pdf")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "format"


def test_a_clinician_exports_a_patients_record_and_it_is_audited(zebedee, bob, northside):
    response = logged_in(bob).get(f"/clinic/patients/{zebedee.pk}/export/")
    assert response.status_code == 200
    bundle = json.loads(body(response))
    assert validate_bundle(bundle)["Procedure"] == 2
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.patient, event.clinic) == (bob, zebedee, northside)
    patient_page = logged_in(bob).get(f"/clinic/patients/{zebedee.pk}/")
    assert f"/clinic/patients/{zebedee.pk}/export/" in patient_page.content.decode()


def test_the_profile_offers_patients_their_data_and_staff_nothing(patient, bob):
    page = logged_in(patient).get("/accounts/profile/").content.decode()
    assert "Download my data" in page and "Delete my account" in page
    staff_page = logged_in(bob).get("/accounts/profile/").content.decode()
    assert "Download my data" not in staff_page and "Delete my account" not in staff_page


def test_what_the_camera_saw_is_in_the_zip_beside_each_watched_hold(patient):
    watched = {"kind": "hold", "exercise": "rotation-stretch", "rep": 1, "result": "done"}
    practise(
        patient,
        steps=[
            {"index": 2, **watched, "camera_seconds": 27.46, "camera_rep": True},
            {"index": 4, **watched, "rep": 2},
        ],
    )
    PatientProfile.objects.filter(user=patient).update(camera_waits_for_position=False)
    files = open_zip(body(logged_in(patient).get("/accounts/profile/export/?format=zip")))
    steps = rows(files, "session_steps.csv")
    assert [(s["camera_seconds"], s["camera_rep"]) for s in steps] == [("27.5", "yes"), ("", "")]
    account = json.loads(files["account.json"])
    assert account["preferences"]["camera_waits_for_position"] is False
