"""What `backstretch serve` does before it listens, and only when something changed.

A server restarted on an up-to-date data directory should answer within about a second, so
each step first asks a cheap question: are there migrations not yet applied (one query of
``django_migrations`` against the migration files on disk); has the exercise library changed
since it was last synced (names, sizes and modification times of its data files and of the
code that reads them, and a digest of the exercise rows, against what was kept in the data
directory after the last sync: a restored or otherwise changed database is synced again);
and have the static files changed since they were last collected (names, sizes and
modification times of every file the static finders see, against the list kept beside the
collected files)?
"""

from __future__ import annotations

import gc
import hashlib
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
LIBRARY_STAMP_NAME = ".library-synced"
# The exercise rows as the library sync writes them (library/services.py).
LIBRARY_FIELDS = (
    "slug",
    "name",
    "summary",
    "kind",
    "direction",
    "targets",
    "contraindications",
    "positions",
    "definition",
    "translations",
    "retired",
)


@dataclass(frozen=True)
class Prepared:
    migrated: bool
    synced: bool
    collected: bool

    def describe(self) -> str:
        done = [
            "applied migrations" if self.migrated else "migrations up to date",
            "synced the library" if self.synced else "library up to date",
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


def file_stats(folder: Path, pattern: str = "**/*") -> dict[str, str]:
    """Every file under ``folder`` matching ``pattern``: name -> "size modification-time"."""
    found = {}
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            found[str(path.relative_to(folder))] = f"{stat.st_size} {stat.st_mtime_ns}"
    return found


def library_state() -> dict[str, object]:
    """What the library sync's result depends on, and a digest of what it wrote."""
    from backstretch.library.models import Exercise
    from backstretch.library.schema import DATA_DIR as LIBRARY_DATA

    rows = Exercise.objects.order_by("slug").values_list(*LIBRARY_FIELDS)
    digest = hashlib.sha256(
        json.dumps(list(rows), sort_keys=True, default=str).encode()
    ).hexdigest()
    return {
        "files": file_stats(LIBRARY_DATA),
        "code": file_stats(LIBRARY_DATA.parent, "*.py"),
        "languages": [code for code, _name in settings.LANGUAGES],
        "rows": digest,
    }


def sync_library_if_changed() -> bool:
    """Sync the exercise library unless nothing changed since the last sync (True: synced)."""
    stamp = Path(settings.DATA_DIR) / LIBRARY_STAMP_NAME
    try:
        before = json.loads(stamp.read_text())
    except (OSError, ValueError):
        before = {}
    if before == library_state():
        return False
    call_command("library", "sync")
    stamp.write_text(json.dumps(library_state()))
    return True


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
    return Prepared(
        migrated=migrated,
        synced=sync_library_if_changed(),
        collected=collect_static_if_changed(),
    )
