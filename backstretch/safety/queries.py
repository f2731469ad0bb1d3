"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from .models import RescreenRequest

# Every patient API call asks whether the red-flag questions were ever asked again (almost
# never): the ORM's query building cost more than the query (bench/api_load.py).
ASKED_EVER_SQL = f"SELECT 1 FROM {RescreenRequest._meta.db_table} WHERE user_id = %s LIMIT 1"


def asked_ever(user_id: int) -> bool:
    """Has this person ever been asked the red-flag questions again?"""
    with connection.cursor() as cursor:
        cursor.execute(ASKED_EVER_SQL, [user_id])
        return cursor.fetchone() is not None
