import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BIN = Path(sys.executable).parent / "backstretch"


def test_console_script_lists_our_commands(cli_env):
    out = subprocess.run([str(BIN), "help"], env=cli_env, capture_output=True, text=True).stdout
    for command in ("serve", "demo", "library", "timeline", "migrate"):
        assert command in out


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only setting; this pass runs on PostgreSQL")  # skip is per-pass
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
