"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from .models import Routine, RoutineVersion

# Every uploaded session asks this (POST /api/v1/me/sessions): building the query with the
# ORM cost more than running it (bench/api_load.py).
VERSION_OF_PATIENT_SQL = (
    f"SELECT v.* FROM {RoutineVersion._meta.db_table} v"
    f" JOIN {Routine._meta.db_table} r ON r.id = v.routine_id"
    " WHERE v.id = %s AND r.patient_id = %s"
)


def version_of_patient(version_id: int, patient_id: int) -> RoutineVersion | None:
    """The routine version with this id if it belongs to one of the patient's routines."""
    found = list(RoutineVersion.objects.raw(VERSION_OF_PATIENT_SQL, [version_id, patient_id]))
    return found[0] if found else None
