"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from .models import RedFlagScreen, RescreenRequest
from .redflags import Urgency

# Every patient API call asks whether the red-flag questions were ever asked again (almost
# never): the ORM's query building cost more than the query (bench/api_load.py).
ASKED_EVER_SQL = f"SELECT 1 FROM {RescreenRequest._meta.db_table} WHERE user_id = %s LIMIT 1"


def asked_ever(user_id: int) -> bool:
    """Has this person ever been asked the red-flag questions again?"""
    with connection.cursor() as cursor:
        cursor.execute(ASKED_EVER_SQL, [user_id])
        return cursor.fetchone() is not None


# A clinic patient (screened in person) may still answer the questions themselves; every call
# of theirs asks whether their latest answers lock the routine: one indexed row, no ORM.
LATEST_LOCKS_SQL = (
    f"SELECT urgency, cleared_at FROM {RedFlagScreen._meta.db_table}"
    " WHERE user_id = %s ORDER BY answered_at DESC LIMIT 1"
)


def latest_screen_locks(user_id: int) -> bool:
    """Do this person's latest red-flag answers need a clinician and are they not cleared?"""
    with connection.cursor() as cursor:
        cursor.execute(LATEST_LOCKS_SQL, [user_id])
        row = cursor.fetchone()
    return row is not None and row[0] != Urgency.CLEAR and row[1] is None
