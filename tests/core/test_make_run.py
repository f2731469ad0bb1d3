"""`make run` as a newcomer meets it, on a machine that also runs a real site: the demo (whose
accounts share a published password) goes to a data directory of its own, printed at start."""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_DEADLINE = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_keeps_the_demo_out_of_the_real_data_directory(cli_env, tmp_path):
    home = tmp_path / "home"
    production = tmp_path / "production"
    port = free_port()
    env = dict(
        cli_env,
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PORT=str(port),
        # What a real site's environment may hold: neither may receive the demo.
        BACKSTRETCH_DATA_DIR=str(production),
        DATABASE_URL="postgres://backstretch@db.invalid:5432/clinic",
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # make, its shell and the server: one group to stop
    )
    # What it prints, read as it comes: the banner is printed a moment after the port first
    # answers (backstretch/core/server.py), so the app answering does not mean it was printed.
    printed: list[str] = []
    banner = f"open http://127.0.0.1:{port}/"
    said_where = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)
            if banner in line:
                said_where.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # Installing, migrating and loading the demo come first; it may also end instead.
        deadline = time.monotonic() + START_DEADLINE
        while not said_where.wait(timeout=1):
            assert process.poll() is None, "".join(printed)
            assert time.monotonic() < deadline, "make run never said where to open the app"
        # Once it says so, the app answers.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            assert answer.status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        reader.join(timeout=60)
    output = "".join(printed)
    demo_dir = home / ".local" / "share" / "backstretch-demo"
    assert f"Demo data directory: {demo_dir}" in output
    assert "stretch-daily-2026" in output  # the demo logins
    assert (demo_dir / "backstretch.sqlite3").exists()
    assert not production.exists()
    assert not (home / ".local" / "share" / "backstretch").exists()
