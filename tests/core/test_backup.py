"""`backstretch backup` while patients' sessions keep arriving at a running server, `restore`
into a new data directory, and the restored app serves every session acknowledged before the
backup began. Plus what backup and restore refuse, each in one line."""

import json
import sqlite3
import subprocess
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.core.test_serve import BIN, fetch, free_port, fresh_postgresql, start, stop

__all__ = ["fresh_postgresql"]  # a fixture, used below

TOKEN_AND_VERSION = """
from backstretch.accounts.models import User
from backstretch.accounts.tokens import create_token
from backstretch.routines.services import active_routine
user = User.objects.get(email="maria@demo.backstretch.test")
print(create_token(user, "backup test")[1], active_routine(user).current.pk)
"""
FAST = {"BACKSTRETCH_WRITES_PER_MINUTE": "100000", "BACKSTRETCH_WRITES_PER_DAY": "1000000"}


def run(env, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout.strip().splitlines()[-1]


class Poster(threading.Thread):
    """Posts sessions one after another, as phones would; keeps the ids the server acknowledged
    (201) and when."""

    def __init__(self, base: str, token: str, version: int) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.version = base, token, version
        self.acknowledged: list[tuple[float, str]] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()

    def post(self) -> None:
        end = datetime.now(UTC) - timedelta(minutes=1)
        client_id = str(uuid.uuid4())
        body = {
            "client_id": client_id,
            "routine_version": self.version,
            "started_at": (end - timedelta(minutes=8)).isoformat(),
            "ended_at": end.isoformat(),
            "pain_before": 4,
            "pain_after": 3,
            "note": "",
            "completed": True,
            "steps": [{"index": 0, "result": "done"}],
            "hurt_reports": [],
        }
        request = urllib.request.Request(
            f"{self.base}/api/v1/me/sessions",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status == 201:
                    self.acknowledged.append((time.monotonic(), client_id))
                    return
                self.failures.append(str(response.status))
        except urllib.error.HTTPError as error:
            self.failures.append(f"{error.code} {error.read()[:200]!r}")

    def run(self) -> None:
        while not self.stopping.is_set():
            self.post()


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)  # poll: the other thread is posting


def sessions_served(base: str, token: str) -> set[str]:
    found: set[str] = set()
    offset = 0
    while True:
        request = urllib.request.Request(
            f"{base}/api/v1/me/sessions?limit=100&offset={offset}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            page = json.loads(response.read())
        found |= {item["client_id"] for item in page["items"]}
        offset += 100
        if offset >= page["count"]:
            return found


def test_a_backup_taken_while_sessions_arrive_restores_every_acknowledged_one(cli_env, tmp_path):
    env = dict(cli_env, **FAST)
    run(env, "migrate", "-v0")
    run(env, "library", "sync")
    run(env, "demo")
    token, version = last_line(run(env, "shell", "-c", TOKEN_AND_VERSION)).split()
    port = free_port()
    server = start(env, port)
    base = f"http://127.0.0.1:{port}"
    poster = Poster(base, token, int(version))
    poster.start()
    try:
        wait_for(lambda: len(poster.acknowledged) >= 10, "sessions to be acknowledged")
        began = time.monotonic()
        backup = tmp_path / "backup"
        done = run(env, "backup", str(backup))
        during = [c for t, c in poster.acknowledged if t > began]
        wait_for(lambda: len(poster.acknowledged) >= len(during) + 15, "more sessions")
    finally:
        poster.stopping.set()
        poster.join(timeout=120)
        stop(server)
    assert "SQLite's online backup API" in done.stdout
    assert poster.failures == []
    before = {c for t, c in poster.acknowledged if t <= began}
    assert len(before) >= 10
    assert during, "no session arrived while the backup ran"
    with sqlite3.connect(backup / "backstretch.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    restored_env = dict(env, BACKSTRETCH_DATA_DIR=str(tmp_path / "restored"))
    restored = run(restored_env, "restore", str(backup))
    assert "Restored the sqlite backup" in restored.stdout
    port = free_port()
    server = start(restored_env, port)
    try:
        served = sessions_served(f"http://127.0.0.1:{port}", token)
        status, _body = fetch(f"http://127.0.0.1:{port}/healthz")
    finally:
        stop(server)
    assert status == 200
    assert before <= served  # every session acknowledged before the backup began
    # Sessions acknowledged after the backup was made are not in it: a snapshot, not a mix.
    after = {c for _t, c in poster.acknowledged} - before - set(during)
    assert not (after & served)


def test_restore_refuses_a_data_directory_that_holds_data(cli_env, tmp_path):
    run(cli_env, "migrate", "-v0")
    backup = tmp_path / "backup"
    run(cli_env, "backup", str(backup))
    refused = run(cli_env, "restore", str(backup), ok=False)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not empty (it holds backstretch.sqlite3)" in lines[0]
    again = run(cli_env, "backup", str(backup), ok=False)
    assert "already exists and is not an empty folder" in again.stderr
    not_a_backup = run(
        dict(cli_env, BACKSTRETCH_DATA_DIR=str(tmp_path / "new")),
        "restore",
        str(tmp_path),
        ok=False,
    )
    assert "is not a Backstretch backup" in not_a_backup.stderr


def test_backup_on_postgresql_without_pg_dump_says_what_to_install(cli_env, tmp_path):
    env = dict(
        cli_env,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tasks_x",
        PATH=str(Path(BIN).parent),  # no pg_dump on this PATH
    )
    refused = run(env, "backup", str(tmp_path / "backup"), ok=False)
    assert refused.returncode == 1
    assert "pg_dump is not installed" in refused.stderr
    assert "postgresql-client" in refused.stderr


COUNTS = """
import json
from django.apps import apps
from backstretch.practice.models import PracticeSession
counts = {
    m._meta.label: m._base_manager.count()
    for m in apps.get_models(include_auto_created=True) if m._meta.managed
}
first = PracticeSession.objects.order_by("pk").first()
print(json.dumps({"counts": counts, "first": [first.pk, first.created_at.isoformat(),
    first.started_at.isoformat(), str(first.client_id)]}))
"""


def test_copy_to_moves_a_site_from_sqlite_to_postgresql(cli_env, fresh_postgresql):
    run(cli_env, "migrate", "-v0")
    run(cli_env, "library", "sync")
    run(cli_env, "demo")
    copied = run(cli_env, "copy-to", fresh_postgresql)
    assert "Now start Backstretch with DATABASE_URL set to it" in copied.stdout
    on_sqlite = json.loads(last_line(run(cli_env, "shell", "-c", COUNTS)))
    on_postgresql_env = dict(cli_env, DATABASE_URL=fresh_postgresql)
    on_postgresql = json.loads(last_line(run(on_postgresql_env, "shell", "-c", COUNTS)))
    assert on_postgresql == on_sqlite  # every table's rows; a session's times as they were
    assert on_sqlite["counts"]["practice.PracticeSession"] > 0
    # The sequences moved past the copied ids: the next row gets a new one.
    run(on_postgresql_env, "demo")
    again = run(cli_env, "copy-to", fresh_postgresql, ok=False)
    assert "already holds tables" in again.stderr


def test_a_postgresql_backup_restores_into_an_empty_database(cli_env, tmp_path, fresh_postgresql):
    import dj_database_url
    import psycopg

    env = dict(cli_env, DATABASE_URL=fresh_postgresql)
    run(env, "migrate", "-v0")
    run(env, "library", "sync")
    run(env, "demo")
    done = run(env, "backup", str(tmp_path / "backup"))
    assert "pg_dump" in done.stdout
    config = dj_database_url.parse(fresh_postgresql)
    other = f"{config['NAME']}_r"
    admin = {"host": config["HOST"], "user": config["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{other}"')
    try:
        target = fresh_postgresql.rsplit("/", 1)[0] + "/" + other
        restored_env = dict(
            env, DATABASE_URL=target, BACKSTRETCH_DATA_DIR=str(tmp_path / "restored")
        )
        restored = run(restored_env, "restore", str(tmp_path / "backup"))
        assert "pg_restore" in restored.stdout
        assert json.loads(last_line(run(restored_env, "shell", "-c", COUNTS))) == json.loads(
            last_line(run(env, "shell", "-c", COUNTS))
        )
        refused = run(
            dict(restored_env, BACKSTRETCH_DATA_DIR=str(tmp_path / "third")),
            "restore",
            str(tmp_path / "backup"),
            ok=False,
        )
        assert "already holds tables" in refused.stderr
    finally:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


def test_a_data_directory_with_only_static_files_and_figures_counts_as_empty(settings, tmp_path):
    from backstretch.core.backup import data_dir_is_empty

    settings.DATA_DIR = tmp_path
    for made in ("static", "figures"):  # a server started once, then stopped: nothing stored
        (tmp_path / made).mkdir()
    assert data_dir_is_empty() == []
    (tmp_path / "exports").mkdir()
    assert data_dir_is_empty() == ["exports"]
