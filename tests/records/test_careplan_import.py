"""A clinician loads a prescription from a FHIR CarePlan: exported from one patient and loaded
for another, it is the same routine (exercises, order, dosage, positions, sides, schedule);
a bad file is refused with a message that says what to fix, and nothing is changed."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from backstretch.clinic.models import AuditEvent
from backstretch.records import fhir, gather
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, prescribe, stored_item, template_items
from tests.cast import join, make_patient

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def exported_bundle(user) -> dict:
    record = gather.record_of(user)
    resources = fhir.record_resources(fhir.Site("https://other-clinic.example"), record)
    return fhir.bundle(resources, timezone.now())


def active_careplan(bundle: dict) -> dict:
    (plan,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "CarePlan" and e["resource"]["status"] == "active"
    ]
    return plan


def upload(client, patient, content: bytes, name: str = "careplan.json"):
    return client.post(
        f"/clinic/patients/{patient.pk}/routine/import/",
        {"careplan": SimpleUploadedFile(name, content, content_type="application/json")},
    )


@pytest.fixture
def prescribed(northside, bob):
    """Hana: a routine Bob made by hand, unlike any template: bed and floor exercises in his
    own order, each with its sides, holds, repetitions, rests and a note, three days a week,
    twice a day."""
    hana = make_patient("hana@example.org", "hana-password-1", "Hana")
    join(northside, bob, hana)
    _name, items = template_items("daily-four-bed")
    _name, more = template_items("starter-floor")
    chosen = [stored_item(i) for i in reversed(items)] + [stored_item(i) for i in more[:2]]
    for n, item in enumerate(chosen):
        item["hold_seconds"] = 20 + n
        item["repetitions"] = 2 + n % 3
        item["rest_seconds"] = 5 + n
        item["note"] = f"Go gently, step {n + 1}"
    prescribe(hana, "Hana's mornings", chosen, days=[0, 2, 4], times_per_day=2, created_by=bob)
    return hana


def test_a_careplan_exported_for_one_patient_loads_as_the_same_routine_for_another(
    northside, bob, prescribed
):
    plan = active_careplan(exported_bundle(prescribed))
    ivo = make_patient("ivo@example.org", "ivo-password-1", "Ivo")
    join(northside, bob, ivo)
    before = active_routine(ivo).current

    clinician = logged_in(bob)
    response = upload(clinician, ivo, json.dumps(plan).encode())

    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{ivo.pk}/routine/"
    theirs, ours = active_routine(prescribed).current, active_routine(ivo).current
    assert ours.items == theirs.items  # exercises, order, positions, sides, dosage, notes
    assert (ours.days, ours.times_per_day) == ([0, 2, 4], 2)
    assert ours.routine.name == "Hana's mornings"
    assert RoutineVersion.objects.filter(pk=before.pk).exists()  # the old one is kept
    assert AuditEvent.objects.filter(
        patient=ivo, actor=bob, what__contains="loaded from a FHIR CarePlan"
    ).exists()
    page = clinician.get(response["Location"]).content.decode()
    assert f"Loaded version {ours.number} from the CarePlan: {len(theirs.items)} exercises." in page


def test_a_whole_exported_bundle_loads_its_active_careplan(northside, bob, prescribed):
    ivo = make_patient("ivo@example.org", "ivo-password-1", "Ivo", clinic=northside, clinician=bob)
    response = upload(logged_in(bob), ivo, json.dumps(exported_bundle(prescribed)).encode())
    assert response.status_code == 302
    assert active_routine(ivo).current.items == active_routine(prescribed).current.items


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<CarePlan xmlns='http://hl7.org/fhir'/>", "The file is not JSON"),
        (json.dumps({"resourceType": "Patient"}).encode(), "The file is a Patient, not a CarePlan"),
        (json.dumps({"resourceType": "CarePlan", "activity": []}).encode(), "has no activity"),
    ],
)
def test_a_bad_file_says_what_to_fix_and_changes_nothing(
    northside, bob, prescribed, content, message
):
    versions = RoutineVersion.objects.count()
    response = upload(logged_in(bob), prescribed, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert RoutineVersion.objects.count() == versions


def test_an_unknown_exercise_is_named(northside, bob, prescribed):
    plan = active_careplan(exported_bundle(prescribed))
    plan["activity"][1]["detail"]["instantiatesCanonical"] = [
        "https://other-clinic.example/fhir/ActivityDefinition/handstand-push-up"
    ]
    versions = RoutineVersion.objects.count()
    response = upload(logged_in(bob), prescribed, json.dumps(plan).encode())
    assert response.status_code == 422
    assert "“handstand-push-up” is not an exercise in our library" in response.content.decode()
    assert RoutineVersion.objects.count() == versions


def test_a_dosage_out_of_range_gets_the_builders_own_words(northside, bob, prescribed):
    plan = active_careplan(exported_bundle(prescribed))
    for part in plan["activity"][0]["detail"]["extension"][0]["extension"]:
        if part["url"] == "holdSeconds":
            part["valueInteger"] = 9999
    response = upload(logged_in(bob), prescribed, json.dumps(plan).encode())
    assert response.status_code == 422
    assert "hold must be between" in response.content.decode()


def test_another_clinics_clinician_gets_404(northside, bob, eve, prescribed):
    plan = active_careplan(exported_bundle(prescribed))
    response = upload(logged_in(eve), prescribed, json.dumps(plan).encode())
    assert response.status_code == 404
