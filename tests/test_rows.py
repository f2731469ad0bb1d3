"""Model instances from plain SQL rows (backstretch/rows.py): what the hot paths read must be
what the ORM reads, value for value and type for type, on SQLite and on PostgreSQL (both
passes run this), or a patient's token, profile or routine would come back subtly wrong
(a date as text, a yes/no as 0/1, a list as a JSON string)."""

from __future__ import annotations

import pytest
from django.db import connection

from backstretch import rows
from backstretch.accounts.models import ApiToken, PatientProfile, User
from backstretch.accounts.tokens import create_token
from backstretch.routines.models import RoutineVersion

pytestmark = pytest.mark.django_db


def read(model, where: str, params: list) -> list:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rows.columns(model, 'x')} FROM {table} x WHERE {where}", params)
        return [rows.instance(model, row) for row in cursor.fetchall()]


def same_as_the_orm(found, model) -> None:
    expected = model.objects.get(pk=found.pk)
    for field in model._meta.concrete_fields:
        mine, theirs = getattr(found, field.attname), getattr(expected, field.attname)
        assert mine == theirs, field.attname
        assert type(mine) is type(theirs), field.attname
    assert found._state.adding is False
    assert found._state.db == "default"


def test_every_column_of_every_hot_model_reads_as_the_orm_reads_it(patient):
    token, _secret = create_token(patient, "phone")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.created_at)
    version = RoutineVersion.objects.get(routine__patient=patient)
    for model, pk in (
        (User, patient.pk),
        (ApiToken, token.pk),
        (PatientProfile, patient.patient.pk),
        (RoutineVersion, version.pk),
    ):
        [found] = read(model, "x.id = %s", [pk])
        same_as_the_orm(found, model)
    # The types that need converting on one database or the other came through as such.
    [read_version] = read(RoutineVersion, "x.id = %s", [version.pk])
    assert isinstance(read_version.items, list) and read_version.items
    [read_user] = read(User, "x.id = %s", [patient.pk])
    assert read_user.is_active is True and read_user.date_joined.tzinfo is not None
    # A saved instance read this way is an ordinary instance: it saves and follows relations.
    read_user.name = "Alice Smith"
    read_user.save(update_fields=["name"])
    assert User.objects.get(pk=patient.pk).name == "Alice Smith"
    assert read_version.routine.patient_id == patient.pk


def test_an_outer_join_that_found_nothing_is_none(patient, bob):
    users, profiles = User._meta.db_table, PatientProfile._meta.db_table
    sql = (
        f"SELECT {rows.columns(User, 'u')}, {rows.columns(PatientProfile, 'p')} FROM {users} u"
        f" LEFT JOIN {profiles} p ON p.user_id = u.id WHERE u.id = %s"
    )
    found = {}
    for person in (patient, bob):
        with connection.cursor() as cursor:
            cursor.execute(sql, [person.pk])
            row = cursor.fetchone()
        found[person.pk] = rows.optional(PatientProfile, row, rows.width(User))
        assert rows.instance(User, row).email == person.email
    assert found[patient.pk].user_id == patient.pk
    assert found[bob.pk] is None  # a clinician, not a patient
