"""SQL tuned for hot paths, each with the reason it is not the ORM's usual way."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

from backstretch.practice.models import PracticeSession


def plain_rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The ORM's own SQL, fetched without its per-value converters.

    Thousands of small rows (four weeks of sessions for a big caseload on the clinician
    dashboard) spend more time in the converters than in the database
    (bench/clinic_dashboard.py). Only for columns the driver already returns as Python values
    (integers and, with Django's SQLite and PostgreSQL backends, dates).
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def day_column() -> Any:
    """``local_date`` for a plain fetch. SQLite's driver would parse every row's date text
    through Python; fetched as text, the few distinct days are parsed once each instead."""
    if connections[PracticeSession.objects.db].vendor == "sqlite":
        return Cast("local_date", CharField())
    return "local_date"
