"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import connection

from backstretch.routines.models import Routine, RoutineVersion

from .models import PracticeSession


def _today_sql() -> str:
    session, version, routine = (
        model._meta.db_table for model in (PracticeSession, RoutineVersion, Routine)
    )
    return (
        f"SELECT EXISTS(SELECT 1 FROM {session} s WHERE s.patient_id = %s AND s.local_date = %s),"
        " v.id, v.number, v.days, r.id, r.name"
        " FROM (SELECT 1 AS one) AS x LEFT JOIN ("
        f"   SELECT v.id AS vid FROM {version} v JOIN {routine} r ON r.id = v.routine_id"
        "   WHERE r.patient_id = %s AND r.is_active"
        "   ORDER BY r.created_at DESC, v.number DESC LIMIT 1"
        " ) AS latest ON TRUE"
        f" LEFT JOIN {version} v ON v.id = latest.vid"
        f" LEFT JOIN {routine} r ON r.id = v.routine_id"
    )


# GET /api/v1/me/today is the API's busiest read: whether today is done and the current
# version of the active routine come back in one round trip (bench/api_load.py).
TODAY_SQL = _today_sql()


def today_rows(user_id: int, day: date) -> tuple[bool, tuple[Any, ...] | None]:
    """(a session on ``day``?, the active routine's current version as (id, number, days,
    routine id, name) or None), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(TODAY_SQL, [user_id, day, user_id])
        done, *version = cursor.fetchone()
    if version[0] is None:
        return bool(done), None
    days = version[2]
    if isinstance(days, str | bytes):  # SQLite hands JSON back as text
        days = json.loads(days)
    return bool(done), (version[0], version[1], days, version[3], version[4])
