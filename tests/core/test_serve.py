"""`backstretch serve` as an admin meets it: a real process on a fresh data directory.

The second half, when things are not as they should be: a taken port, a host name, bad
HOST/PORT/DATABASE_URL, an unreachable database, several servers starting at once. Each case
runs the real console script and expects one line that says what to fix, never a traceback."""

import io
import json
import os
import re
import secrets
import selectors
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
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


def test_serve_starts_a_production_server_on_a_fresh_data_dir(served, cli_env):
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
    # Background work needs a `backstretch worker`, and none runs yet: the banner says so.
    assert "needs `backstretch worker` running beside this server (0 running now" in output
    assert "(applied migrations, synced the library, collected static files)" in output
    # Started again on the same data directory, it skips what is already done and says so.
    port = int(base.rsplit(":", 1)[1])
    again = start(cli_env, port)
    assert fetch(base + "/library/")[0] == 200
    assert "(migrations up to date, library up to date, static files up to date)" in stop(again)
    # A database that no longer holds what the last sync wrote (a restored backup, a hand
    # edit) is synced again, though the library's files did not change.
    subprocess.run(
        [str(BIN), "shell", "-c", RENAME_HAMSTRING_STRETCH],
        env=cli_env,
        check=True,
        capture_output=True,
    )
    again = start(cli_env, port)
    assert "Hamstring stretch" in fetch(base + "/library/")[1]
    assert "(migrations up to date, synced the library, static files up to date)" in stop(again)


RENAME_HAMSTRING_STRETCH = """
from backstretch.library.models import Exercise
Exercise.objects.filter(name="Hamstring stretch").update(name="Renamed by hand")
"""


def test_serve_refuses_a_bad_port(cli_env):
    result = subprocess.run(
        [str(BIN), "serve", "--port", "70000"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE,
    )
    assert result.returncode != 0
    assert "--port must be a port number between 1 and 65535" in result.stderr


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


def launch(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=dict(env, BACKSTRETCH_WORKERS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_answering(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while not answers_healthz(f"http://127.0.0.1:{port}"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = process.communicate()[0]
            pytest.fail(
                f"serve did not answer /healthz (exit code {process.returncode}):\n{output}"
            )
        time.sleep(0.2)  # poll again: the server is still starting


def start(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    process = launch(env, port)
    wait_until_answering(process, port)
    return process


BANNER = "Backstretch is running"


def printed_until_banner(process: subprocess.Popen[str]) -> str:
    """What serve printed up to its banner, which comes just after the port first answers:
    read before stopping it, or a stop at that moment cuts the banner off. Returns early if
    serve has ended (or never says it: the caller's assertions then tell)."""
    assert process.stdout is not None
    # Read the pipe itself, as communicate() does after: nothing waits in a Python buffer.
    fd = process.stdout.fileno()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    deadline = time.monotonic() + START_DEADLINE
    read = b""
    while BANNER.encode() not in read and process.poll() is None and time.monotonic() < deadline:
        if selector.select(timeout=1):
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            read += chunk
    selector.close()
    return read.decode()


def stop(process: subprocess.Popen[str], banner_read: bool = False) -> str:
    """Stop serve; all it printed (``banner_read``: the caller read up to its banner)."""
    read = "" if banner_read else printed_until_banner(process)
    process.terminate()
    return read + process.communicate(timeout=EXIT_TIMEOUT)[0]


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


# --- When things are not as they should be --------------------------------------------------


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], env=env, capture_output=True, text=True, timeout=START_DEADLINE
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Backstretch is running" not in result.stdout
    return lines[0]


def test_a_second_backstretch_on_the_same_port_is_refused(cli_env, tmp_path):
    port = free_port()
    first = start(cli_env, port)
    try:
        # Another instance with another data directory: it must not share the port.
        other = dict(cli_env, BACKSTRETCH_DATA_DIR=str(tmp_path / "other"))
        message = one_line_error(run(["serve", "--port", str(port)], dict(other, PORT="")))
        assert f"port {port}" in message
        assert "--port" in message and "PORT=" in message
        assert first.poll() is None and answers_healthz(f"http://127.0.0.1:{port}")
    finally:
        stop(first)


def test_two_started_at_the_same_moment_on_one_port_leave_one_server(cli_env, tmp_path):
    port = free_port()
    envs = [dict(cli_env, BACKSTRETCH_DATA_DIR=str(tmp_path / name)) for name in ("a", "b")]
    processes = [launch(env, port) for env in envs]
    try:
        deadline = time.monotonic() + START_DEADLINE
        # One of them gives up with the port's message; the other serves.
        while all(process.poll() is None for process in processes):
            assert time.monotonic() < deadline, "neither server gave up the port"
            time.sleep(0.2)  # poll: both are still starting
        refused = next(process for process in processes if process.poll() is not None)
        serving = next(process for process in processes if process is not refused)
        output = refused.communicate(timeout=EXIT_TIMEOUT)[0]
        assert refused.returncode != 0
        assert f"port {port} is already used by another Backstretch" in output
        assert "Traceback" not in output
        wait_until_answering(serving, port)
    finally:
        for process in processes:
            if process.poll() is None:
                stop(process)


def test_a_port_another_program_listens_on_is_refused_before_running_is_printed(cli_env):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        message = one_line_error(run(["serve", "--port", str(port)], cli_env))
    assert message.endswith(
        f"port {port} is already in use by another program: stop it, or choose another "
        "port with --port (or PORT=)"
    )


def test_running_is_printed_only_once_the_port_answers(cli_env):
    port = free_port()
    process = launch(cli_env, port)
    try:
        selector = selectors.DefaultSelector()
        assert process.stdout is not None
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_DEADLINE
        line = ""
        while BANNER not in line:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "serve never said it was running"
            if selector.select(timeout=1):
                line = process.stdout.readline()
        # The moment it says so, a browser can connect.
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        stop(process, banner_read=True)


def test_a_host_name_is_looked_up_and_served_on_its_address(cli_env):
    port = free_port()
    process = subprocess.Popen(
        [str(BIN), "serve", "--host", "localhost", "--port", str(port)],
        env=dict(cli_env, BACKSTRETCH_WORKERS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_answering(process, port)
    output = stop(process)
    assert f"open http://127.0.0.1:{port}/" in output


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["serve"], {"PORT": "eighty"}, "PORT must be a port number between 1 and 65535"),
        (["serve", "--port", "http"], {}, "--port must be a port number between 1 and 65535"),
        (["serve"], {"HOST": "no-such-host.invalid"}, "HOST 'no-such-host.invalid' is neither"),
        (["serve", "--host", "999.1.1.1"], {}, "--host '999.1.1.1' is neither an address"),
        (["serve", "--host", "192.0.2.1"], {}, "192.0.2.1 is not an address of this machine"),
        (["serve"], {"DATABASE_URL": "localhost:5432"}, "DATABASE_URL is not a database address"),
        (["help"], {"DATABASE_URL": "postgres//db/x"}, "DATABASE_URL is not a database address"),
        (["serve"], {"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL must name a PostgreSQL"),
        (["migrate"], {"DATABASE_URL": "postgres://db.internal:5432/"}, "names no database"),
    ],
)
def test_a_bad_setting_is_one_line_that_says_what_to_fix(cli_env, args, env, expected):
    message = one_line_error(run(args, dict(cli_env, **env)))
    assert expected in message


def test_help_works_whatever_port_says_and_describes_every_option(cli_env):
    result = run(["serve", "--help"], dict(cli_env, PORT="eighty", HOST="?"))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for option, words in {
        "--host": "address to listen on",
        "--port": "port to listen on",
        "--workers": "server worker processes",
        "--threads": "threads per worker process",
    }.items():
        assert f"{option} {option[2:].upper()} {words}" in text


def unreachable_database_url() -> str:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgres://backstretch@127.0.0.1:{port}/backstretch"


@pytest.mark.parametrize("args", [["serve"], ["migrate"]])
def test_an_unreachable_database_is_one_line(cli_env, args):
    env = dict(cli_env, DATABASE_URL=unreachable_database_url(), PORT=str(free_port()))
    message = one_line_error(run(args, env))
    assert "Check that it is running and that DATABASE_URL is right" in message


# --- Several servers on one fresh PostgreSQL database -----------------------------------------


@pytest.fixture
def fresh_postgresql():
    """An empty PostgreSQL database of its own on the test server (dropped afterwards)."""
    url = os.environ.get("BACKSTRETCH_TEST_DATABASE_URL")
    if not url:
        pytest.skip("BACKSTRETCH_TEST_DATABASE_URL is not set: no PostgreSQL server to use")
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_x{secrets.token_hex(3)}"
    admin = dict(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",  # the server's own: the named one may not exist yet
        autocommit=True,
    )
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_servers_started_together_on_a_fresh_postgresql_both_come_up(
    cli_env, tmp_path, fresh_postgresql
):
    # Two app servers (two machines, say) on one new database: both migrate at once.
    secret = secrets.token_urlsafe(50)
    envs = [
        dict(
            cli_env,
            DATABASE_URL=fresh_postgresql,
            BACKSTRETCH_SECRET_KEY=secret,
            BACKSTRETCH_DATA_DIR=str(tmp_path / name),
        )
        for name in ("one", "two")
    ]
    ports = [free_port(), free_port()]
    processes = [launch(env, port) for env, port in zip(envs, ports, strict=True)]
    try:
        for process, port in zip(processes, ports, strict=True):
            wait_until_answering(process, port)
    finally:
        outputs = [stop(process) for process in processes if process.poll() is None]
    for output in outputs:
        assert "Traceback" not in output
        assert "database: postgresql" in output
