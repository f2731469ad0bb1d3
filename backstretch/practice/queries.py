"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models.signals import post_save
from django.utils.dateparse import parse_datetime

from backstretch.library.models import Exercise
from backstretch.routines.queries import CURRENT_VERSION_JOIN

from . import stats
from .models import PracticeSession


def _today_sql() -> str:
    session = PracticeSession._meta.db_table
    return (
        f"SELECT EXISTS(SELECT 1 FROM {session} s WHERE s.patient_id = %s AND s.local_date = %s),"
        " v.id, v.number, v.days, r.id, r.name"
        " FROM (SELECT 1 AS one) AS x" + CURRENT_VERSION_JOIN
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


def _today_page_sql() -> str:
    session, exercise = PracticeSession._meta.db_table, Exercise._meta.db_table
    return (
        "SELECT done.n, done.last_id, done.last_end, done.today, done.yesterday, done.before,"
        f" (SELECT MAX(synced_at) FROM {exercise}),"
        " v.id, v.days, r.name"
        " FROM (SELECT COUNT(*) AS n, MAX(id) AS last_id, MAX(ended_at) AS last_end,"
        "   MAX(CASE WHEN local_date = %s THEN 1 ELSE 0 END) AS today,"
        "   MAX(CASE WHEN local_date = %s THEN 1 ELSE 0 END) AS yesterday,"
        "   MAX(CASE WHEN local_date < %s AND local_date >= %s THEN 1 ELSE 0 END) AS before"
        f"   FROM {session} WHERE patient_id = %s) AS done" + CURRENT_VERSION_JOIN
    )


# The Today page asks every time what its cached parts are made of (practice/today.py): the
# patient's sessions (how many, the newest, when the last ended, whether they practised today,
# yesterday and on some day before within the streak's two years), the library's newest sync
# and the active routine's current version, in one round trip (bench/today_page.py).
TODAY_PAGE_SQL = _today_page_sql()


@dataclass(frozen=True)
class TodayRow:
    sessions: int
    last_session_id: int | None
    last_ended_at: datetime | None
    done_today: bool
    yesterday_practised: bool
    practised_before_yesterday: bool  # within the streak's two years
    library_synced_at: datetime | None
    version_id: int | None
    days: list[int]
    routine_name: str


def aware(value: object) -> datetime | None:
    """A timestamp from raw SQL: SQLite hands an aggregate back as text, naive UTC."""
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def today_page_row(user_id: int, day: date) -> TodayRow:
    """What the patient's Today is made of, on their local ``day``."""
    yesterday = day - timedelta(days=1)
    since = stats.streak_since(day)
    with connection.cursor() as cursor:
        cursor.execute(TODAY_PAGE_SQL, [day, yesterday, yesterday, since, user_id, user_id])
        count, last_id, last_end, today, before_today, before, synced, version_id, days, name = (
            cursor.fetchone()
        )
    if isinstance(days, str | bytes):  # SQLite hands JSON back as text
        days = json.loads(days)
    return TodayRow(
        sessions=count,
        last_session_id=last_id,
        last_ended_at=aware(last_end),
        done_today=bool(today),
        yesterday_practised=bool(before_today),
        practised_before_yesterday=bool(before),
        library_synced_at=aware(synced),
        version_id=version_id,
        days=list(days or []),
        routine_name=name or "",
    )


# Every stored session is inserted while the database's write lock (and the server's write
# gate, core/write_gate.py) is held, and every other writer waits for it. Built by the ORM
# inside the transaction, the INSERT held the lock 0.4 ms longer than running it (a third of
# the time the lock was held); here its values are prepared before the transaction begins.
SESSION_FIELDS = [f for f in PracticeSession._meta.concrete_fields if not f.primary_key]
_COLUMNS = ", ".join(f'"{f.column}"' for f in SESSION_FIELDS)
INSERT_SESSION_SQL = (
    f'INSERT INTO "{PracticeSession._meta.db_table}" ({_COLUMNS})'
    f" VALUES ({', '.join(['%s'] * len(SESSION_FIELDS))}) RETURNING id"
)


def session_values(session: PracticeSession) -> list[Any]:
    """The new ``session``'s row as ``insert_session`` stores it (``created_at`` set now)."""
    return [f.get_db_prep_save(f.pre_save(session, True), connection) for f in SESSION_FIELDS]


def insert_session(session: PracticeSession, values: list[Any]) -> None:
    """Store the new ``session`` as ``session.save()`` would (``post_save`` is sent, so the
    apps above that follow sessions hear of it), from its ``session_values``."""
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SESSION_SQL, values)
        session.pk = cursor.fetchone()[0]
    session._state.adding = False
    session._state.db = connection.alias
    post_save.send(
        sender=PracticeSession,
        instance=session,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
