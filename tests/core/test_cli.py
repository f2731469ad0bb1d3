import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "backstretch"


def test_console_script_lists_our_commands(cli_env):
    out = subprocess.run(
        [str(BIN), "help"], env=cli_env, capture_output=True, text=True, timeout=120
    ).stdout
    for command in ("serve", "demo", "library", "timeline", "migrate"):
        assert command in out


def test_the_embedded_database_is_sqlite_in_wal_mode_with_immediate_transactions(monkeypatch):
    from backstretch.settings import database_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_config()
    # Django's SQLite backend, with a server's writers taking turns (core/write_gate.py).
    assert config["ENGINE"] == "backstretch.core.gated_sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_switches_to_postgresql(monkeypatch):
    from backstretch.settings import database_config

    monkeypatch.setenv("DATABASE_URL", "postgres://clinic:secret@db.internal:5432/backstretch")
    config = database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"]) == ("db.internal", "backstretch")
