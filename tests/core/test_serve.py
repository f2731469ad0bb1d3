"""`backstretch serve` as an admin meets it: a real process on a fresh data directory."""

import io
import json
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BIN = Path(sys.executable).parent / "backstretch"
# Generous deadlines: on a busy machine a first start (migrations, library, static files) or
# one request can take far longer than usual. Waits end as soon as their condition holds.
START_DEADLINE = 120
REQUEST_TIMEOUT = 60
EXIT_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served(cli_env, tmp_path):
    port = free_port()
    process = start(cli_env, port)
    yield f"http://127.0.0.1:{port}", tmp_path / "data", process
    process.terminate()
    process.wait(timeout=EXIT_TIMEOUT)


def answers_healthz(base: str) -> bool:
    try:
        return fetch(base + "/healthz")[0] == 200
    except OSError:  # not listening yet
        return False


def test_serve_starts_a_production_server_on_a_fresh_data_dir(served):
    base, data_dir, process = served
    status, body = fetch(base + "/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    # The secret key was generated on first start and only its owner can read it.
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    # The library was synced and static files are served.
    status, body = fetch(base + "/library/")
    assert status == 200
    assert "Hamstring stretch" in body
    # DEBUG is off: an unknown page is a plain 404, not Django's debug page.
    status, body = fetch(base + "/no-such-page/")
    assert status == 404
    assert "URLconf" not in body
    # One worker process, as BACKSTRETCH_WORKERS asked (serve became the server's master).
    master = process.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(workers) == 1
    process.terminate()
    output, _ = process.communicate(timeout=EXIT_TIMEOUT)
    assert "1 worker process, 2 threads each" in output


def test_serve_refuses_a_bad_port(cli_env):
    result = subprocess.run(
        [str(BIN), "serve", "--port", "70000"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE,
    )
    assert result.returncode != 0
    assert "--port must be between 1 and 65535" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--workers", "0"], {}, "--workers must be at least 1 (got 0)"),
        (["--threads", "-2"], {}, "--threads must be at least 1 (got -2)"),
        ([], {"BACKSTRETCH_WORKERS": "many"}, "BACKSTRETCH_WORKERS must be a whole number"),
        ([], {"BACKSTRETCH_THREADS": "0"}, "BACKSTRETCH_THREADS must be a whole number"),
    ],
)
def test_serve_refuses_a_bad_worker_or_thread_count(monkeypatch, args, env, message):
    # The same command in this process (the refusal above shows how a real one reports it):
    # it refuses before it touches a database or starts anything.
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("serve", "--port", str(free_port()), *args, stdout=out)
    assert "Backstretch is running" not in out.getvalue()


def start(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=dict(env, BACKSTRETCH_WORKERS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + START_DEADLINE
    while not answers_healthz(f"http://127.0.0.1:{port}"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = process.communicate()[0]
            pytest.fail(
                f"serve did not answer /healthz (exit code {process.returncode}):\n{output}"
            )
        time.sleep(0.2)  # poll again: the server is still starting
    return process


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    return process.communicate(timeout=EXIT_TIMEOUT)[0]


PATIENT_TOKEN = """
from backstretch.accounts.models import User
from backstretch.accounts.tokens import create_token
from backstretch.reminders.services import settings_for
user = User.objects.get(email="maria@demo.backstretch.test")
reminders = settings_for(user)
reminders.channels = ["calendar"]
reminders.save()
print(create_token(user, "test")[1])
"""


def test_links_name_the_port_serve_listens_on_when_no_base_url_is_set(cli_env):
    env = {k: v for k, v in cli_env.items() if k not in ("BACKSTRETCH_BASE_URL", "PORT")}
    port = free_port()
    process = start(env, port)
    try:
        subprocess.run([str(BIN), "demo"], env=env, check=True, capture_output=True)
        secret = subprocess.run(
            [str(BIN), "shell", "-c", PATIENT_TOKEN],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]  # shell first says how many models it imported
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/me/reminders",
            headers={"Authorization": f"Bearer {secret}"},
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            calendar_url = json.loads(response.read())["calendar_url"]
    finally:
        output = stop(process)
    assert calendar_url.startswith(f"http://127.0.0.1:{port}/reminders/feed/")
    assert f"links in e-mails, calendars and invitations: http://127.0.0.1:{port}" in output
    assert "Warning" not in output


def test_serve_warns_when_the_configured_base_url_names_another_local_port(cli_env):
    port = free_port()
    process = start(dict(cli_env, BACKSTRETCH_BASE_URL="http://127.0.0.1:8000"), port)
    output = stop(process)
    assert "links in e-mails, calendars and invitations: http://127.0.0.1:8000" in output
    assert (
        f"Warning: BACKSTRETCH_BASE_URL is http://127.0.0.1:8000 but this server listens on "
        f"port {port}" in output
    )
