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
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import InterfaceError, OperationalError

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


def library_stamp() -> Path:
    return Path(settings.DATA_DIR) / LIBRARY_STAMP_NAME


def library_changed() -> bool:
    """True when the library's files, their code or the rows differ from the last sync's."""
    try:
        before = json.loads(library_stamp().read_text())
    except (OSError, ValueError):
        return True
    return bool(before != library_state())


def sync_library_if_changed() -> bool:
    """Sync the exercise library unless nothing changed since the last sync (True: synced)."""
    if not library_changed():
        return False
    call_command("library", "sync")
    library_stamp().write_text(json.dumps(library_state()))
    return True


def static_sources() -> dict[str, str]:
    """Every static source file the finders see: name -> "size modification-time"."""
    found: dict[str, str] = {"": settings.STORAGES["staticfiles"]["BACKEND"]}
    for finder in finders.get_finders():
        for name, storage in finder.list([]):
            stat = Path(storage.path(name)).stat()
            found.setdefault(name, f"{stat.st_size} {stat.st_mtime_ns}")
    return found


def static_changed(sources: dict[str, str] | None = None) -> bool:
    """True when a static source file changed since the last collection (or none was made)."""
    root = Path(settings.STATIC_ROOT)
    sources = static_sources() if sources is None else sources
    try:
        before = json.loads((root / FINGERPRINT_NAME).read_text())
    except (OSError, ValueError):
        return True
    manifest_needed = "Manifest" in sources[""]
    return before != sources or (manifest_needed and not (root / "staticfiles.json").is_file())


def collect_static_if_changed() -> bool:
    """Collect the static files unless none changed since the last time (True: collected).

    A changed file's old copy is removed first: collectstatic itself skips a source that is
    not newer, to the second, than its copy, and an edit can land within the same second.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = root / FINGERPRINT_NAME
    sources = static_sources()
    if not static_changed(sources):
        return False
    try:
        before = json.loads(stamp.read_text())
    except (OSError, ValueError):
        before = {}
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


def prepare_apart() -> Prepared:
    """:func:`prepare`, with the work (when there is any) done in a child process.

    Migrating, syncing and collecting leave behind tens of megabytes of memory that Python
    does not give back; in the server's own process they would stay for its whole life and be
    copied into every worker it forks. The cheap checks run here; only when one finds work
    does a forked child do it and report back (or fail as ``prepare`` would have).
    """
    if not hasattr(os, "fork"):
        return prepare()
    if not (migrations_pending() or library_changed() or static_changed()):
        return Prepared(migrated=False, synced=False, collected=False)
    connections.close_all()  # the child opens its own
    sys.stdout.flush()
    sys.stderr.flush()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, say how it went, and leave without clean-ups
        os.close(reading)
        answer: dict[str, Any]
        try:
            answer = {"prepared": asdict(prepare())}
        except CommandError as error:
            answer = {"command_error": str(error)}
        except (OperationalError, InterfaceError) as error:  # as the console script says them
            answer = {"database_error": str(error)}
        except BaseException:  # anything else: its traceback, as it would have been
            traceback.print_exc()
            answer = {"failed": True}
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(writing, json.dumps(answer).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        told = pipe.read()
    os.waitpid(pid, 0)
    answer = json.loads(told) if told else {"failed": True}
    if "prepared" in answer:
        return Prepared(**answer["prepared"])
    if "command_error" in answer:
        raise CommandError(answer["command_error"])
    if "database_error" in answer:
        raise OperationalError(answer["database_error"])
    raise CommandError("preparing the data directory failed (the error is above)")
