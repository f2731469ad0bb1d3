"""A clinic admin's bulk export: asked for on a page, made by a background worker, listed with
its state, downloaded (audited), deleted or expired; bulk FHIR NDJSON valid against R4B and a
CSV summary whose figures are the dashboard's. Its memory does not grow with the clinic."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from backstretch.accounts.models import PatientProfile
from backstretch.clinic import dashboard
from backstretch.clinic.dashboard_words import adherence_percent
from backstretch.clinic.models import AuditEvent
from backstretch.records import bulk, clinic_exports
from backstretch.records.models import ClinicExport
from tests.cast import join, make_patient
from tests.fhir_check import references
from tests.queue import run_queue
from tests.sessions import practise

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def clinic_patients(clinic, clinician, count: int, sessions: int = 3):
    made = []
    for n in range(count):
        user = make_patient(f"p{n}.{clinic.pk}@example.org", "pw-123456789", f"Patient {n}")
        join(clinic, clinician, user)
        for day in range(sessions):
            practise(user, days_ago=day * 2 + 1, pain_before=4 + n % 3, pain_after=3)
        made.append(user)
    return made


def open_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def check_ndjson(files: dict[str, str]) -> Counter[str]:
    """Every line one resource of its file's type, valid against FHIR R4B; every reference
    names a resource in the files."""
    kinds: Counter[str] = Counter()
    names = set()
    found_references = []
    for name, text in files.items():
        if not name.startswith("fhir/"):
            continue
        kind = name.removeprefix("fhir/").removesuffix(".ndjson")
        model = get_fhir_model_class(kind)
        for line in text.splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == kind
            model.model_validate(resource)
            names.add(f"{kind}/{resource['id']}")
            found_references += references(resource)
            kinds[kind] += 1
    dangling = sorted(set(found_references) - names)
    assert not dangling, f"references to nothing in the export: {dangling[:5]}"
    return kinds


def test_an_admin_asks_for_an_export_a_worker_makes_it_and_she_downloads_it(
    northside, bob, dana, zebedee
):
    others = clinic_patients(northside, bob, 2)
    admin = logged_in(dana)
    page = f"/clinic/{northside.pk}/exports/"
    response = admin.post(page)
    assert response.status_code == 302
    listing = admin.get(page).content.decode()
    assert "waiting for a worker" in listing
    assert 'data-hx-trigger="every 3s"' in listing  # the list refreshes itself while waiting
    export = ClinicExport.objects.get()
    assert export.state == "queued" and export.task_id

    run_queue()

    export.refresh_from_db()
    in_clinic = PatientProfile.objects.filter(clinic=northside).count()
    assert in_clinic >= 3
    assert export.state == "ready" and export.patients == in_clinic
    listing = admin.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "every 3s" not in listing  # nothing left to wait for: the polling stops
    download = f"/clinic/{northside.pk}/exports/{export.pk}/download/"
    assert download in listing
    response = admin.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = open_zip(b"".join(response.streaming_content))
    assert "README.txt" in files and "summary.csv" in files
    kinds = check_ndjson(files)
    assert kinds["Patient"] == in_clinic
    assert kinds["Procedure"] >= 2 + 3 * 2  # every session of every patient
    assert kinds["ActivityDefinition"] == len(
        {line for line in files["fhir/ActivityDefinition.ndjson"].splitlines()}
    )  # the library, once
    summary = list(csv.DictReader(io.StringIO(files["summary.csv"])))
    assert len(summary) == in_clinic
    assert {zebedee.email, *(u.email for u in others)} <= {row["email"] for row in summary}
    # The figures are the dashboard's own.
    profiles = list(PatientProfile.objects.filter(clinic=northside).select_related("user"))
    todays = {p.user_id: p.user.today() for p in profiles}
    found = dashboard.gather(profiles, todays)
    for profile in profiles:
        facts = dashboard.facts_for(profile, todays[profile.user_id], found)
        row = next(r for r in summary if r["patient_id"] == str(profile.user_id))
        for window in (7, 28):
            share = adherence_percent(facts, window)
            assert row[f"adherence_{window}_days_percent"] == ("" if share is None else str(share))
        if facts.sessions:
            assert row["last_session_date"] == max(s.day for s in facts.sessions).isoformat()
    zebedee_row = next(r for r in summary if r["email"] == zebedee.email)
    assert zebedee_row["latest_peg"] == "5.0"  # pain 6, enjoyment 5, activity 4
    whats = list(
        AuditEvent.objects.filter(clinic=northside, actor=dana).values_list("what", flat=True)
    )
    assert f"clinic export #{export.pk} asked for" in whats
    assert f"clinic export #{export.pk} downloaded" in whats


def test_another_clinics_clinician_and_a_clinician_who_is_not_admin_get_404(
    northside, bob, dana, eve
):
    export = clinic_exports.request_export(northside, dana, "http://testserver")
    run_queue()
    for user in (eve, bob):
        client = logged_in(user)
        assert client.get(f"/clinic/{northside.pk}/exports/").status_code == 404
        got = client.get(f"/clinic/{northside.pk}/exports/{export.pk}/download/")
        assert got.status_code == 404
        assert client.post(f"/clinic/{northside.pk}/exports/{export.pk}/delete/").status_code == 404
    assert ClinicExport.objects.get().state == "ready"


def test_deleting_an_export_removes_its_file_and_an_expired_one_goes_by_itself(
    northside, bob, dana
):
    clinic_patients(northside, bob, 1, sessions=1)
    first = clinic_exports.request_export(northside, dana, "http://testserver")
    second = clinic_exports.request_export(northside, dana, "http://testserver")
    run_queue()
    first_file, second_file = clinic_exports.path_of(first), clinic_exports.path_of(second)
    assert first_file.exists() and second_file.exists()
    admin = logged_in(dana)
    response = admin.post(f"/clinic/{northside.pk}/exports/{first.pk}/delete/", follow=True)
    assert "Export deleted" in response.content.decode()
    assert not first_file.exists()
    ClinicExport.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    assert "No exports yet" in admin.get(f"/clinic/{northside.pk}/exports/").content.decode()
    assert not second_file.exists()
    whats = set(AuditEvent.objects.filter(clinic=northside).values_list("what", flat=True))
    assert {
        f"clinic export #{first.pk} deleted",
        f"clinic export #{second.pk} deleted (expired)",
    } <= whats


def peak_while_exporting(clinic, tmp_path) -> int:
    tracemalloc.start()
    try:
        with open(tmp_path / f"export-{clinic.pk}.zip", "wb") as out:
            bulk.write_export(clinic, "http://testserver", out, timezone.now())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_clinic(northside, bob, southside, eve, tmp_path):
    """The peak while writing a clinic five times the size stays well below five times the
    small one's: rows are written to files as they are read. (bench/clinic_export.py measures
    it at 50 and 200 patients with a year of history.)"""
    clinic_patients(northside, bob, 3)
    clinic_patients(southside, eve, 15)
    peak_while_exporting(northside, tmp_path)  # warm: translations, templates, the library
    small = peak_while_exporting(northside, tmp_path)
    large = peak_while_exporting(southside, tmp_path)
    assert large < small * 2, (small, large)


def test_a_patient_who_deletes_their_account_leaves_no_clinic_export_behind(northside, bob, dana):
    from backstretch.records.erasure import erase_patient

    (patient,) = clinic_patients(northside, bob, 1, sessions=1)
    export = clinic_exports.request_export(northside, dana, "http://testserver")
    run_queue()
    assert clinic_exports.path_of(export).exists()
    erase_patient(patient)
    assert not clinic_exports.path_of(export).exists()
    assert not ClinicExport.objects.exists()
    assert AuditEvent.objects.filter(
        clinic=northside, what__contains="a patient in it deleted their account"
    ).exists()


def test_the_export_file_is_readable_by_the_sites_owner_only(northside, dana):
    export = clinic_exports.request_export(northside, dana, "http://testserver")
    run_queue()
    assert clinic_exports.path_of(export).stat().st_mode & 0o777 == 0o600
    assert clinic_exports.exports_dir().stat().st_mode & 0o777 == 0o700
