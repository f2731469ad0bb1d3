"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from .models import ProgressionSettings

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
