"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from typing import Any

from django.db import connection

from backstretch.routines.queries import CURRENT_VERSION_JOIN

from .models import PegCheckin, ProgressionSettings, StartBack

# Asked after every uploaded session, and progression is off for most routines: the ORM's
# query building cost more than the query (bench/api_load.py).
PROGRESSION_ON_SQL = (
    f"SELECT 1 FROM {ProgressionSettings._meta.db_table} WHERE routine_id = %s AND mode <> %s"
)


def progression_is_on(routine_id: int) -> bool:
    """Is progression on (proposing or automatic) for this routine?"""
    with connection.cursor() as cursor:
        cursor.execute(PROGRESSION_ON_SQL, [routine_id, ProgressionSettings.Mode.OFF.value])
        return cursor.fetchone() is not None


def _today_pieces_sql() -> str:
    peg, start_back = PegCheckin._meta.db_table, StartBack._meta.db_table
    return (
        "SELECT p.id, p.local_date, p.skipped, p.pain, p.enjoyment, p.activity,"
        f" EXISTS(SELECT 1 FROM {start_back} b WHERE b.patient_id = %s"
        "   AND b.answered_at IS NULL),"
        " v.id, v.number, v.reason, v.created_at, r.notice_seen_number"
        " FROM (SELECT 1 AS one) AS x"
        f" LEFT JOIN (SELECT id AS pid FROM {peg} WHERE patient_id = %s"
        "   ORDER BY local_date DESC, created_at DESC LIMIT 1) AS latest_peg ON TRUE"
        f" LEFT JOIN {peg} p ON p.id = latest_peg.pid" + CURRENT_VERSION_JOIN
    )


# What the check-ins and the routine-change notice on the patient's Today page are made of,
# asked on every visit to key the page's kept body (practice/today.py, bench/today_page.py).
TODAY_PIECES_SQL = _today_pieces_sql()


def today_pieces_row(patient_id: int) -> tuple[Any, ...]:
    """(latest check-in: id, date, skipped, pain, enjoyment, activity; a STarT Back asked and
    not answered?; the active routine's current version: id, number, reason, made at; the
    version whose change the patient said OK to)."""
    with connection.cursor() as cursor:
        cursor.execute(TODAY_PIECES_SQL, [patient_id, patient_id, patient_id])
        row: tuple[Any, ...] = cursor.fetchone()
    return row
