"""Model instances from plain SQL rows, for the hottest paths (every API call, every stored
session).

Django's ``raw()`` works out afresh, for every query, which column is which field and how each
value is converted from the database's form; on a stored session that was a quarter of the
server's CPU (issue 17). Here it is worked out once per model and database connection and kept.
A query selects ``columns(Model, alias)`` (every concrete column, in the model's field order)
and hands the row, or a slice of it, to ``instance``: the same values, converted by the same
converters Django itself applies, as ``Model.objects.raw`` would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)

# Per connection (each thread has its own, and converters may read its state): per model,
# the fields' names and [(position, converters, column)] for the values that need converting.
Plan = tuple[list[str], list[tuple[int, list[Callable[..., Any]], Any]]]
_plans: WeakKeyDictionary[BaseDatabaseWrapper, dict[type[Model], Plan]] = WeakKeyDictionary()


def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of ``model`` as ``alias.column``, in the model's field order."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many values ``columns(model, …)`` selects."""
    return len(model._meta.concrete_fields)


def _plan(model: type[Model], connection: BaseDatabaseWrapper) -> Plan:
    known = _plans.setdefault(connection, {})
    plan = known.get(model)
    if plan is None:
        fields = model._meta.concrete_fields
        converting = []
        for position, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if converters:
                converting.append((position, converters, column))
        plan = known[model] = ([field.attname for field in fields], converting)
    return plan


def instance(
    model: type[M],
    row: Sequence[Any],
    start: int = 0,
    using: str = DEFAULT_DB_ALIAS,
) -> M:
    """The ``model`` instance whose columns (``columns(model, …)``) begin at ``row[start]``."""
    connection = connections[using]
    names, converting = _plan(model, connection)
    values = list(row[start : start + len(names)])
    for position, converters, column in converting:
        value = values[position]
        for convert in converters:
            value = convert(value, column, connection)
        values[position] = value
    return model.from_db(using, names, values)


def optional(
    model: type[M], row: Sequence[Any], start: int = 0, using: str = DEFAULT_DB_ALIAS
) -> M | None:
    """As ``instance``, or None where an outer join found no row (its primary key is NULL)."""
    key = model._meta.concrete_fields.index(model._meta.pk)
    return None if row[start + key] is None else instance(model, row, start, using)
