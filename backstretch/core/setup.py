"""What `backstretch serve` does before it listens, and only when something changed.

A server restarted on an up-to-date data directory should answer within about a second, so
each step first asks a cheap question: are there migrations not yet applied (one query of
``django_migrations`` against the migration files on disk), and have the static files changed
since they were last collected (names, sizes and modification times of every file the static
finders see, against the list kept beside the collected files)? The library sync is
already cheap when nothing changed (it compares each file's content hash), so it always runs.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FINGERPRINT_NAME = ".collected-from"


@dataclass(frozen=True)
class Prepared:
    migrated: bool
    collected: bool

    def describe(self) -> str:
        done = [
            "applied migrations" if self.migrated else "migrations up to date",
            "collected static files" if self.collected else "static files up to date",
        ]
        return ", ".join(done)


def migration_files() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file of the installed apps."""
    found = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.suffix == ".py" and path.stem != "__init__" and path.stem[:1].isdigit():
                found.add((config.label, path.stem))
    return found


def migrations_pending() -> bool:
    """True when a migration on disk is not recorded as applied (or the database is new)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    applied = set(recorder.applied_migrations())
    return not migration_files() <= applied


def static_sources() -> dict[str, str]:
    """Every static source file the finders see: name -> "size modification-time"."""
    found: dict[str, str] = {"": settings.STORAGES["staticfiles"]["BACKEND"]}
    for finder in finders.get_finders():
        for name, storage in finder.list([]):
            stat = Path(storage.path(name)).stat()
            found.setdefault(name, f"{stat.st_size} {stat.st_mtime_ns}")
    return found


def collect_static_if_changed() -> bool:
    """Collect the static files unless none changed since the last time (True: collected).

    A changed file's old copy is removed first: collectstatic itself skips a source that is
    not newer, to the second, than its copy, and an edit can land within the same second.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = root / FINGERPRINT_NAME
    sources = static_sources()
    try:
        before = json.loads(stamp.read_text())
    except (OSError, ValueError):
        before = {}
    manifest_needed = "Manifest" in sources[""]
    if before == sources and (not manifest_needed or (root / "staticfiles.json").is_file()):
        return False
    for name, seen in sources.items():
        if name and before.get(name) != seen:
            (root / name).unlink(missing_ok=True)
    with collecting_garbage():
        call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(json.dumps(sources))
    return True


@contextmanager
def collecting_garbage() -> Iterator[None]:
    """Python's garbage collector on meanwhile (``serve`` starts with it off): migrations and
    collectstatic make many short-lived objects that refer to each other."""
    was_on = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_on:
            gc.disable()


def prepare() -> Prepared:
    """Migrate, sync the library and collect static files, each only when needed."""
    migrated = migrations_pending()
    if migrated:
        with collecting_garbage():
            call_command("migrate", interactive=False, verbosity=0)
    call_command("library", "sync")
    return Prepared(migrated=migrated, collected=collect_static_if_changed())
