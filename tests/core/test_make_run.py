"""`make run` as a newcomer meets it, on a machine that also runs a real site: the demo (whose
accounts share a published password) goes to a data directory of its own, printed at start."""

import os
import shutil
import signal
import socket
import subprocess
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
    try:
        deadline = time.monotonic() + START_DEADLINE
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30):
                    break
            except OSError:
                pass  # not listening yet
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "make run did not start the app"
            time.sleep(0.5)  # poll again: installing, migrating, loading the demo
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    demo_dir = home / ".local" / "share" / "backstretch-demo"
    assert f"Demo data directory: {demo_dir}" in output
    assert f"open http://127.0.0.1:{port}/" in output
    assert "stretch-daily-2026" in output  # the demo logins
    assert (demo_dir / "backstretch.sqlite3").exists()
    assert not production.exists()
    assert not (home / ".local" / "share" / "backstretch").exists()
