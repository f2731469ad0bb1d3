"""Backups while the app runs, restoring into an empty data directory, and moving a site from
its SQLite file to PostgreSQL (the ``backup``, ``restore`` and ``copy-to`` commands).

A backup is a folder:

- ``backstretch.sqlite3``: a consistent copy of the SQLite database, made by SQLite's online
  backup API (a read snapshot: servers keep writing meanwhile; the copy holds everything
  committed before it started), or ``backstretch.pgdump``: PostgreSQL's ``pg_dump`` in its
  custom format (one transaction's snapshot, likewise);
- ``secret_key`` and ``vapid_private_key.pem`` when they live in the data directory (signed
  links, log-in sessions and Web Push subscriptions keep working after a restore);
- ``backup.json``: when, from which database, which kind.

Clinic exports (``exports/``), collected static files and the drawn exercise figures
(``figures/``) are left out: all are made again.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

SQLITE_NAME = "backstretch.sqlite3"
PG_NAME = "backstretch.pgdump"
KEYS = ("secret_key", "vapid_private_key.pem")
MANIFEST = "backup.json"
# What a data directory holds before anything is stored in it: the keys the settings make on
# first use, the server's lock file, collected static files and drawn figures.
MADE_ON_FIRST_USE = {*KEYS, "setup.lock", "static", "figures"}


class BackupError(Exception):
    """What went wrong and what to do, in one line."""


@dataclass(frozen=True)
class Done:
    path: Path
    kind: str
    how: str


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def is_sqlite(config: dict[str, Any]) -> bool:
    return str(config["ENGINE"]).endswith("sqlite3")


def pg_url(config: dict[str, Any]) -> str:
    """A libpq connection string for pg_dump / pg_restore (no password on the command line:
    it goes in PGPASSWORD)."""
    parts = {
        "host": config.get("HOST") or "",
        "port": str(config.get("PORT") or ""),
        "user": config.get("USER") or "",
        "dbname": config["NAME"],
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def pg_env(config: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return env


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed, and the database is PostgreSQL: install PostgreSQL's "
            f"client programs (on Debian: apt-get install postgresql-client), then try again"
        )
    return found


def prepare_destination(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not an empty folder: choose a new one")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        os.chmod(dest, 0o700)  # it holds the secret key and everyone's data
    except OSError as error:
        raise BackupError(f"cannot create {dest}: {error.strerror}") from None


def backup(dest: Path) -> Done:
    config = database()
    prepare_destination(dest)
    if is_sqlite(config):
        target = dest / SQLITE_NAME
        source = sqlite3.connect(config["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: a single read snapshot, writers go on meanwhile
        finally:
            copy.close()
            source.close()
        os.chmod(target, 0o600)
        kind, how = "sqlite", "SQLite's online backup API"
    else:
        target = dest / PG_NAME
        done = subprocess.run(
            [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", pg_url(config)],
            env=pg_env(config),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {last_line(done.stderr)}")
        kind, how = "postgresql", "pg_dump (custom format)"
    for name in KEYS:
        key = Path(settings.DATA_DIR) / name
        if key.exists():
            shutil.copy2(key, dest / name)
    manifest = {"made_at": timezone.now().isoformat(), "database": kind, "file": target.name}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Done(dest, kind, how)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no reason given"


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{src} is not a Backstretch backup (it has no {MANIFEST})") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"cannot read {src / MANIFEST}: {error}") from None
    if manifest.get("database") not in ("sqlite", "postgresql"):
        raise BackupError(f"{src / MANIFEST} names no database kind: is it a Backstretch backup?")
    return dict(manifest)


def data_dir_is_empty() -> list[str]:
    """What the data directory holds besides what is made on first use (empty: nothing)."""
    folder = Path(settings.DATA_DIR)
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name not in MADE_ON_FIRST_USE)


def pg_has_tables() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def restore(src: Path) -> Done:
    manifest = read_manifest(src)
    config = database()
    kind = manifest["database"]
    wanted = "sqlite" if is_sqlite(config) else "postgresql"
    if kind != wanted:
        raise BackupError(
            f"this is a {kind} backup and DATABASE_URL points at {wanted}: restore it where the "
            f"same kind of database is configured (then `backstretch copy-to` moves SQLite to "
            f"PostgreSQL)"
        )
    leftovers = data_dir_is_empty()
    if leftovers:
        raise BackupError(
            f"the data directory {settings.DATA_DIR} is not empty (it holds "
            f"{', '.join(leftovers[:5])}): restore into a new one (set BACKSTRETCH_DATA_DIR), "
            "so that nothing saved there is overwritten"
        )
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{src / SQLITE_NAME}?mode=ro", uri=True)
        target = sqlite3.connect(config["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        how = "SQLite's backup API"
    else:
        if pg_has_tables():
            raise BackupError(
                f"the PostgreSQL database {config['NAME']} already holds tables: restore into "
                "an empty database (createdb a new one and point DATABASE_URL at it)"
            )
        done = subprocess.run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={pg_url(config)}",
                str(src / PG_NAME),
            ],
            env=pg_env(config),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {last_line(done.stderr)}")
        how = "pg_restore"
    for name in KEYS:
        if (src / name).exists():
            target_key = Path(settings.DATA_DIR) / name
            shutil.copy2(src / name, target_key)
            os.chmod(target_key, 0o600)
    return Done(Path(settings.DATA_DIR), kind, how)
