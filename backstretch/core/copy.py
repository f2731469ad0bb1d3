"""``backstretch copy-to DATABASE_URL``: every row of this site's database into another (an
empty PostgreSQL database, typically, when a site outgrows its SQLite file).

Table by table, through Django's models (so each value is converted for the other database),
in an order where a row's references come before it, a chunk at a time, in one transaction on
the target (on PostgreSQL its foreign keys are checked at the commit). Primary keys are kept,
so every reference stays right; the target's id sequences are then moved past them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connections, models, transaction

from .backup import BackupError

TARGET = "copy_target"
CHUNK = 1000


def all_models() -> list[type[models.Model]]:
    concrete = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = [m for m in sort_dependencies(app_list, allow_cycles=True) if m in concrete]
    return ordered + [m for m in concrete if m not in ordered]


@contextmanager
def timestamps_as_stored(model: type[models.Model]) -> Iterator[None]:
    """Saving would stamp auto_now / auto_now_add fields with the time of the copy: keep the
    stored times instead, for the copy's length."""
    changed = []
    for field in model._meta.concrete_fields:
        for flag in ("auto_now", "auto_now_add"):
            if getattr(field, flag, False):
                setattr(field, flag, False)
                changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


def target_rows(model: type[models.Model]) -> int:
    return model._base_manager.using(TARGET).count()


def copy_to(config: dict[str, object], progress: object = None) -> dict[str, int]:
    """Copy every row into the database ``config`` describes; returns rows per table."""
    import copy

    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            "this site's database is missing migrations: run `backstretch migrate` (or start "
            "`backstretch serve` once), then copy"
        )
    both = {"default": copy.deepcopy(connections.settings["default"]), TARGET: dict(config)}
    connections.settings[TARGET] = connections.configure_settings(both)[TARGET]
    try:
        connections[TARGET].ensure_connection()
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BackupError(f"cannot reach the target database: {reason}") from None
    with connections[TARGET].cursor() as cursor:
        if connections[TARGET].introspection.table_names(cursor):
            raise BackupError(
                "the target database already holds tables: copy into an empty database "
                "(createdb a new one), so that nothing saved there is overwritten"
            )
    call_command("migrate", database=TARGET, interactive=False, verbosity=0)
    ordered = all_models()
    counts: dict[str, int] = {}
    with transaction.atomic(using=TARGET):
        # migrate made its own content types and permissions: the copied ones replace them.
        for model in reversed(ordered):
            model._base_manager.using(TARGET).all().delete()
        for model in ordered:
            rows = model._base_manager.using("default").order_by("pk")
            copied = 0
            with timestamps_as_stored(model):
                batch: list[models.Model] = []
                for row in rows.iterator(chunk_size=CHUNK):
                    batch.append(row)
                    if len(batch) == CHUNK:
                        model._base_manager.using(TARGET).bulk_create(batch)
                        copied += len(batch)
                        batch = []
                if batch:
                    model._base_manager.using(TARGET).bulk_create(batch)
                    copied += len(batch)
            counts[model._meta.db_table] = copied
        sql = connections[TARGET].ops.sequence_reset_sql(no_style(), ordered)
        with connections[TARGET].cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
    connections[TARGET].close()
    return counts
