"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from backstretch import rows

from .models import Routine, RoutineVersion

# Every uploaded session asks this (POST /api/v1/me/sessions): building the query with the
# ORM cost more than running it (bench/api_load.py).
VERSION_OF_PATIENT_SQL = (
    f"SELECT {rows.columns(RoutineVersion, 'v')} FROM {RoutineVersion._meta.db_table} v"
    f" JOIN {Routine._meta.db_table} r ON r.id = v.routine_id"
    " WHERE v.id = %s AND r.patient_id = %s"
)


def version_of_patient(version_id: int, patient_id: int) -> RoutineVersion | None:
    """The routine version with this id if it belongs to one of the patient's routines."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_OF_PATIENT_SQL, [version_id, patient_id])
        row = cursor.fetchone()
    return None if row is None else rows.instance(RoutineVersion, row)


# The patient's active routine's current version as ``v`` and its routine as ``r`` (NULLs when
# there is none), to follow a FROM: one parameter, the patient's id. The hot reads of Today
# (practice/queries.py, outcomes/queries.py) ask it in the same round trip as their own facts.
CURRENT_VERSION_JOIN = (
    " LEFT JOIN ("
    f"   SELECT v.id AS vid FROM {RoutineVersion._meta.db_table} v"
    f" JOIN {Routine._meta.db_table} r ON r.id = v.routine_id"
    "   WHERE r.patient_id = %s AND r.is_active"
    "   ORDER BY r.created_at DESC, v.number DESC LIMIT 1"
    " ) AS latest ON TRUE"
    f" LEFT JOIN {RoutineVersion._meta.db_table} v ON v.id = latest.vid"
    f" LEFT JOIN {Routine._meta.db_table} r ON r.id = v.routine_id"
)
