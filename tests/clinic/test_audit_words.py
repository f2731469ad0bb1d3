"""The audit log's entries, written once in English, read in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from backstretch.clinic.audit_words import describe
from backstretch.clinic.models import AuditEvent
from backstretch.clinic.services import audit

# One entry of each form the code writes (see the callers of clinic.services.audit).
WRITTEN = [
    "patient page",
    "messages (API)",
    "routine v3",
    "routine v2 loaded from a FHIR CarePlan",
    "clinic template Knees first",
    "own record (zip), by the patient",
    "clinic export #12 asked for",
    "clinic export #12 deleted (expired)",
    "progression proposal 4: declined",
    "dashboard reason dealt with: hurt",
    "red-flag lock cleared (prompt)",
    "dashboard: 40 patients",
    "camera waits for position: on",
    "camera waits for position: off",
    "moved to Northside with the patient's consent",
    "patient invitation for dana@example.org",
    "clinician invitation for eve@example.org",
    "removed eve@example.org from the clinic",
    "joined the clinic as patient",
    "erased record #7: a patient deleted their account and all their data",
    "routine history (erased record #7)",
    "two-step sign-in reset for bob@example.org by the server's operator "
    "(backstretch twofactor reset)",
]


@pytest.mark.parametrize("what", WRITTEN)
def test_every_form_the_code_writes_reads_in_spanish(what):
    with translation.override("es"):
        spanish = describe(what)
    assert spanish != what
    assert not set(spanish.split()) & {"the", "for", "patient", "patients", "asked", "routine"}


def test_names_numbers_and_addresses_are_kept_and_the_unknown_shown_as_written():
    with translation.override("es"):
        assert describe("dashboard: 1 patient") == "panel: 1 paciente"
        assert describe("clinician invitation for eve@example.org") == (
            "invitación de terapeuta para eve@example.org"
        )
        assert describe("routine v3") == "versión 3 de la rutina"
        assert describe("something an older version wrote") == "something an older version wrote"
    with translation.override("en"):
        assert describe("routine v3") == "routine version 3"
        assert describe("patient page") == "patient page"


@pytest.mark.django_db
def test_a_spanish_admin_reads_the_log_in_spanish(client, northside, bob, dana, patient):
    audit(bob, patient, northside, AuditEvent.Action.VIEW, "patient page")
    dana.language = "es"  # Northside's admin
    dana.save(update_fields=["language"])
    client.force_login(dana)
    page = client.get(reverse("clinic:audit", args=[northside.pk])).content.decode()
    assert "página del paciente" in page
    assert AuditEvent.objects.get().what == "patient page"  # the record itself is unchanged
