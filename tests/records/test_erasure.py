"""Deleting an account: everything about the person goes, a tombstone stays, the clinic is told.

The completeness test reads every column of every table in the database (Django's and ours, the
many-to-many tables included) for the person's e-mail and name, every foreign key to the users
table for their id, and every log-in session for them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent
from backstretch.records.erasure import erase_patient
from backstretch.records.models import ErasedRecord
from tests.records.conftest import EMAIL, NAME, PASSWORD

pytestmark = pytest.mark.django_db

USERS_TABLE = User._meta.db_table


def traces(user_id: int, words: list[str]) -> list[str]:
    """Every table and column that still holds the person: their id in a column that points at
    the users table, their e-mail or name anywhere (as text, case ignored)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        # The tables Django's models know are all there (a new app's table is never missed).
        model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
        assert model_tables <= set(tables), model_tables - set(tables)
        for table in tables:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            relations = connection.introspection.get_relations(cursor, table)
            for column in columns:
                target = relations.get(column)
                if (target and target[1] == USERS_TABLE) or (
                    table == USERS_TABLE and column == "id"
                ):
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} = %s", [user_id]
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column} holds the id {user_id}")
                for word in words:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} "
                        f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                        [f"%{word.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column} holds {word!r}")
    for session in Session.objects.all():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            found.append(f"django_session.session_data logs in {user_id}")
    return found


# Tables that never hold a patient's data, each with its reason.
NOT_ABOUT_PATIENTS = {
    "routines.ClinicTemplate": "a clinic's own programmes",
    "records.ErasedRecord": "the tombstones themselves",
    "records.ClinicExport": "a clinic's exports (their files go when a patient in them is erased)",
    "core.WorkerBeat": "the background workers' heartbeats",
}


def test_the_person_has_rows_in_every_table_of_the_app(zebedee):
    empty = [
        model._meta.label
        for config in apps.get_app_configs()
        if config.name.startswith("backstretch.")
        for model in config.get_models()
        if model._meta.label not in NOT_ABOUT_PATIENTS and not model.objects.exists()
    ]
    assert empty == []


def test_the_check_finds_a_person_who_is_still_there(zebedee):
    found = traces(zebedee.pk, [EMAIL, NAME])
    for place in (
        "accounts_user.email",
        "practice_practicesession.patient_id",
        "clinic_auditevent.what",
        "clinic_invitation.email",
        "django_admin_log.object_repr",
        "django_session.session_data",
        "messaging_message.body",
    ):
        assert any(line.startswith(place) for line in found), place


def test_after_erasure_no_table_holds_the_persons_id_email_or_name(zebedee):
    user_id = zebedee.pk
    erase_patient(zebedee)
    assert traces(user_id, [EMAIL, NAME, "zebedee"]) == []


def test_erasure_keeps_a_tombstone_and_the_clinics_audit_trail_without_the_person(
    zebedee, northside, bob
):
    before = AuditEvent.objects.filter(actor=bob).count()
    tombstone = erase_patient(zebedee)
    assert ErasedRecord.objects.get() == tombstone
    assert tombstone.clinic == northside
    assert tombstone.removed["practice.PracticeSession"] == 2
    assert tombstone.removed["accounts.User"] == 1
    label = f"erased record #{tombstone.pk}"
    kept = AuditEvent.objects.filter(actor=bob)
    assert kept.count() == before  # Bob's entries stay: who did what
    assert kept.filter(patient__isnull=True, what__contains=label).count() == before
    told = AuditEvent.objects.get(action="erase")
    assert told.clinic == northside and told.actor is None
    assert told.what.startswith(f"{label}: a patient deleted their account")


def test_other_patients_keep_everything(zebedee, patient, other_patient):
    from tests.sessions import practise

    practise(other_patient, days_ago=1)
    rows = other_patient.practice_sessions.count(), other_patient.routines.count()
    erase_patient(zebedee)
    assert User.objects.filter(pk__in=[patient.pk, other_patient.pk]).count() == 2
    assert (other_patient.practice_sessions.count(), other_patient.routines.count()) == rows


def test_delete_my_account_needs_the_password_and_a_wrong_one_deletes_nothing(zebedee):
    client = Client()
    client.force_login(zebedee)
    page = client.get("/accounts/delete/")
    assert "Delete my account and all my data" in page.content.decode()
    wrong = client.post("/accounts/delete/", {"password": "guess"})
    assert wrong.status_code == 422
    assert "That is not your password. Nothing has been deleted" in wrong.content.decode()
    empty = client.post("/accounts/delete/", {"password": ""})
    assert "Type your password to confirm" in empty.content.decode()
    assert User.objects.filter(pk=zebedee.pk).exists()
    assert zebedee.practice_sessions.count() == 2

    done = client.post("/accounts/delete/", {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/deleted/"
    assert not User.objects.filter(email=EMAIL).exists()
    assert client.get("/accounts/profile/").status_code == 302  # logged out
    again = Client()
    again.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in again.session  # the old log-in no longer works


def test_the_clinicians_of_the_clinic_are_told_on_their_dashboard(zebedee, bob, eve):
    tombstone = erase_patient(zebedee)
    client = Client()
    client.force_login(bob)
    page = client.get("/clinic/").content.decode()
    assert "A patient deleted their account and all their data on" in page
    assert f"erased record #{tombstone.pk}" in page
    other = Client()
    other.force_login(eve)  # another clinic's clinician hears nothing of it
    assert "deleted their account" not in other.get("/clinic/").content.decode()
