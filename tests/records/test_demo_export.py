"""Every demo patient's record (``backstretch demo``: six weeks of history) exports as valid FHIR
R4 and as a zip that opens, with one row per stored session."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from backstretch.accounts.models import User
from backstretch.records.export import fhir_bundle_chunks, zip_file
from tests.fhir_check import validate_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def demo_patients() -> list[User]:
    return list(
        User.objects.filter(email__endswith="@demo.backstretch.test", patient__isnull=False)
    )


def test_every_demo_patients_bundle_is_valid_fhir_r4(demo):
    patients = demo_patients()
    assert len(patients) == 6
    for user in patients:
        bundle = json.loads(b"".join(fhir_bundle_chunks(user, "http://127.0.0.1:8000")))
        kinds = validate_bundle(bundle)
        assert kinds["Procedure"] == user.practice_sessions.count() > 10, user.email
        assert kinds["CarePlan"] >= 1 and kinds["QuestionnaireResponse"] >= 1, user.email


def test_every_demo_patients_zip_opens_with_a_row_per_session(demo):
    for user in demo_patients():
        with zipfile.ZipFile(zip_file(user)) as archive:
            sessions = archive.read("sessions.csv").decode("utf-8-sig")
        assert len(list(csv.DictReader(io.StringIO(sessions)))) == user.practice_sessions.count()
