"""Load on the JSON API: `GET /api/v1/me/today` and `POST /api/v1/me/sessions` under wrk.

A real `backstretch serve` (production settings, SQLite, the default workers) on a throwaway
data dir with one patient and a personal API token; wrk (a real load generator, keep-alive
connections) at concurrency 1 and 32 after a warm-up. Every POST carries a new client id (a
wrk Lua script numbers them per thread). Reported per run: requests/s, p50 and p99 latency,
server CPU per request (utime+stime of the server's master and workers from /proc, before and
after) and the server's RSS after the run; the server's memory (PSS and RSS of master and each
worker, from /proc/PID/smaps_rollup) once started and after all the runs.

Durability: after the POST runs the server is killed with SIGKILL (no clean shutdown), and
the sessions on disk are counted: every acknowledged (2xx) session must be there.
Targets on a 2-core machine: today >= 800 requests/s at concurrency 32 with p99 <= 60 ms;
sessions >= 300/s with p99 <= 80 ms; server memory after load (PSS of master and workers)
<= 140 MiB.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.support import BIN, app_env, free_port

SETUP = """
from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.tokens import create_token
from backstretch.library.services import sync_library
from backstretch.routines.services import start_routine_from_template
sync_library()
user = User.objects.create_user("load@bench.backstretch.test", "bench-password-2026",
                                name="Load Bench", time_zone="Europe/London")
PatientProfile.objects.create(user=user, screened_by_clinician=True)
routine = start_routine_from_template(user, "daily-four")
# Prescribed yesterday: the sessions posted below started minutes ago, and a session may not
# start before the version it follows was made.
from datetime import timedelta
from django.utils import timezone
routine.versions.update(created_at=timezone.now() - timedelta(days=1))
print(json.dumps({"token": create_token(user, "bench")[1], "version": routine.current.pk}))
"""

# wrk script: a POST body with a client id unique to this run, thread and request.
POST_LUA = """
local counter = 0
local nonce = tonumber(os.getenv("BENCH_NONCE"))
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local id = string.format("%08x-%04x-4000-8000-%012x", nonce, tid, counter)
  local body = string.format(os.getenv("BENCH_BODY"), id)
  return wrk.format("POST", nil, nil, body)
end
"""

# Summary as JSON on the last line of wrk's output.
DONE_LUA = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"socket_errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PORT = 8112


def server_pids(master: int) -> list[int]:
    """The server's master process and its workers (children of the master)."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def timed_gets(
    connection: Any,
    path: str,
    headers: dict[str, str],
    count: int,
    warm_up: int,
    pids: list[int],
    check: Any,
) -> tuple[list[float], float, bytes]:
    """``count`` GETs of ``path`` on one keep-alive ``connection`` after ``warm_up`` more:
    each one's milliseconds, the server's CPU milliseconds per timed request, and the last
    body. ``check(status, body)`` raises on a wrong answer."""
    samples = []
    body = b""
    cpu_before = 0.0
    for index in range(count + warm_up):
        if index == warm_up:  # the first requests warm caches and workers
            cpu_before = cpu_seconds(pids)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        check(response.status, body)
        if index >= warm_up:
            samples.append(elapsed)
    return samples, (cpu_seconds(pids) - cpu_before) * 1000 / count, body


def memory_kb(pid: int) -> dict[str, int]:
    """A process's resident (RSS) and proportional (PSS: each shared page divided among the
    processes sharing it) memory in KiB, from /proc/PID/smaps_rollup."""
    found = {"rss": 0, "pss": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("Rss", "Pss"):
                found[name.lower()] = int(value.split()[0])
    except OSError:
        pass
    return found


def server_memory(master: int) -> dict[str, Any]:
    """The server's memory in MiB: PSS and RSS in total (master and workers) and per process.
    PSS counts a page the workers share with the master once in all, RSS once per process."""
    rows = [(pid, memory_kb(pid)) for pid in server_pids(master)]
    return {
        "pss_mib": round(sum(kb["pss"] for _pid, kb in rows) / 1024, 1),
        "rss_mib": round(sum(kb["rss"] for _pid, kb in rows) / 1024, 1),
        "processes": [
            {
                "role": "master" if pid == master else "worker",
                "pss_mib": round(kb["pss"] / 1024, 1),
                "rss_mib": round(kb["rss"] / 1024, 1),
            }
            for pid, kb in rows
        ],
    }


def rss_mb(pids: list[int]) -> float:
    return round(sum(memory_kb(pid)["rss"] for pid in pids) / 1024, 1)


def describe_memory(memory: dict[str, Any]) -> str:
    each = ", ".join(
        f"{row['role']} {row['pss_mib']}/{row['rss_mib']}" for row in memory["processes"]
    )
    return f"PSS {memory['pss_mib']} MiB, RSS {memory['rss_mib']} MiB (PSS/RSS each: {each})"


def wrk(url: str, token: str, connections: int, seconds: float, post_body: str = "") -> dict:
    """One wrk run with the patient's API token (see ``wrk_with``)."""
    return wrk_with(url, f"Authorization: Bearer {token}", connections, seconds, post_body)


def wrk_with(url: str, auth: str, connections: int, seconds: float, post_body: str = "") -> dict:
    """wrk at ``connections`` for ``seconds`` with the header ``auth`` (a bearer token or a
    session cookie); with ``post_body``, POSTs each with a new client id. Its summary as a dict."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write((POST_LUA if post_body else "") + DONE_LUA)
    env = dict(os.environ)
    if post_body:
        env["BENCH_NONCE"] = str(uuid.uuid4().int & 0xFFFFFFFF)
        env["BENCH_BODY"] = post_body
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{round(seconds)}s",
        "--timeout",
        "10s",
        "-s",
        script.name,
        "-H",
        auth,
        "-H",
        "Content-Type: application/json",
        "-H",
        "Accept-Encoding: gzip",  # as every browser and HTTP library sends it
        url,
    ]
    try:
        output = subprocess.run(command, env=env, capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    if output.returncode != 0:
        raise RuntimeError(f"wrk failed: {output.stderr.strip() or output.stdout.strip()}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def session_template(version: int) -> str:
    """A whole session as JSON, with %s where each request's client id goes."""
    ended = datetime.now(UTC) - timedelta(minutes=5)
    body = {
        "client_id": "CLIENT_ID",
        "routine_version": version,
        "started_at": (ended - timedelta(minutes=9)).isoformat(),
        "ended_at": ended.isoformat(),
        "pain_before": 5,
        "pain_after": 3,
        "note": "",
        "steps": [{"index": n, "result": "done", "kind": "hold"} for n in range(0, 40, 2)],
    }
    return json.dumps(body).replace("%", "%%").replace("CLIENT_ID", "%s")


def measure(
    base: str, master: int, path: str, token: str, connections: int, seconds: float, body: str = ""
) -> dict[str, Any]:
    warm = wrk(base + path, token, connections, min(2.0, seconds), body)
    pids = server_pids(master)
    cpu_before = cpu_seconds(pids)
    result = wrk(base + path, token, connections, seconds, body)
    cpu = cpu_seconds(pids) - cpu_before
    done = result["requests"]
    ok = done - result["non_2xx"]
    return {
        "concurrency": connections,
        "requests": done,
        "ok": ok,
        "errors": result["non_2xx"] + result["socket_errors"],
        "requests_per_s": round(done / (result["duration_us"] / 1e6), 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "cpu_ms_per_request": round(1000 * cpu / max(done, 1), 2),
        "server_rss_mb": rss_mb(server_pids(master)),
        "server_processes": len(pids),
        "acknowledged_with_warmup": ok + warm["requests"] - warm["non_2xx"],
    }


def stored_sessions(data_dir: str) -> int:
    with sqlite3.connect(Path(data_dir) / "backstretch.sqlite3") as db:
        return int(db.execute("select count(*) from practice_practicesession").fetchone()[0])


def bench_port() -> int:
    """This bench's own port (8112) when it is free, else any free one."""
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", PORT))
        return PORT
    except OSError:
        return free_port()


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = bench_port()
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so SIGKILL reaches every worker
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("backstretch serve did not start") from None
            time.sleep(0.2)


MEMORY_TARGET_MIB = 140


def run(quick: bool = False) -> dict[str, Any]:
    """The API under load with the default layout of workers and threads."""
    return load(quick=quick)


def load(quick: bool = False, workers: int | None = None, threads: int | None = None) -> dict:
    """The whole benchmark against one server; ``workers`` and ``threads`` (None: serve's
    defaults) choose its layout."""
    if shutil.which("wrk") is None:
        raise SystemExit("api-load needs wrk, a load generator: apt-get install wrk")
    seconds = 3.0 if quick else 10.0
    results: dict[str, Any] = {"seconds_per_run": seconds}
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-api-") as data_dir:
        env = app_env(data_dir)
        for name, count in (("BACKSTRETCH_WORKERS", workers), ("BACKSTRETCH_THREADS", threads)):
            if count is not None:
                env[name] = str(count)
        # One account posts thousands of sessions a second here: lift its write limit.
        env["BACKSTRETCH_WRITES_PER_MINUTE"] = env["BACKSTRETCH_WRITES_PER_DAY"] = "1000000000"
        subprocess.run([str(BIN), "migrate", "-v", "0"], env=env, check=True, capture_output=True)
        made = subprocess.run(
            [str(BIN), "shell", "-c", "import json\n" + SETUP],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        setup = json.loads(made.stdout.strip().splitlines()[-1])
        token, body = setup["token"], session_template(setup["version"])
        process, base = start(env)
        try:
            results["memory_started"] = server_memory(process.pid)
            print(f"  memory, started: {describe_memory(results['memory_started'])}", flush=True)
            for connections in (1, 32):
                row = measure(base, process.pid, "/api/v1/me/today", token, connections, seconds)
                results[f"today_c{connections}"] = row
                print(f"  GET today  c={connections:<2} {describe(row)}", flush=True)
            for connections in (1, 32):
                row = measure(
                    base, process.pid, "/api/v1/me/sessions", token, connections, seconds, body
                )
                results[f"post_c{connections}"] = row
                print(f"  POST sessions c={connections:<2} {describe(row)}", flush=True)
            results["memory_loaded"] = server_memory(process.pid)
            print(f"  memory, after load: {describe_memory(results['memory_loaded'])}", flush=True)
            acked = sum(results[f"post_c{c}"]["acknowledged_with_warmup"] for c in (1, 32))
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # no clean shutdown: what is on disk?
            process.wait(timeout=15)
        on_disk = stored_sessions(data_dir)
        results["durability"] = {"acknowledged": acked, "on_disk_after_sigkill": on_disk}
        print(f"  after SIGKILL: {on_disk} sessions on disk, {acked} acknowledged (2xx)")
        if on_disk < acked:
            raise SystemExit("acknowledged sessions are missing from the database")
    today, posts = results["today_c32"], results["post_c32"]
    checks = {
        "today c=32 ≥ 800 req/s": today["requests_per_s"] >= 800,
        "today c=32 p99 ≤ 60 ms": today["p99_ms"] <= 60,
        "sessions c=32 ≥ 300/s": posts["requests_per_s"] >= 300,
        "sessions c=32 p99 ≤ 80 ms": posts["p99_ms"] <= 80,
        # A refused post is fast and proves nothing: every one must be stored.
        "sessions posted without an error": all(
            results[f"post_c{c}"]["errors"] == 0 for c in (1, 32)
        ),
        f"server memory after load (PSS) ≤ {MEMORY_TARGET_MIB} MiB": (
            results["memory_loaded"]["pss_mib"] <= MEMORY_TARGET_MIB
        ),
    }
    for name, met in checks.items():
        print(f"  target {name}: {'met' if met else 'NOT met'}")
    results["targets_met"] = checks
    return results


def describe(row: dict[str, Any]) -> str:
    return (
        f"{row['requests_per_s']:>7} req/s  p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  "
        f"cpu {row['cpu_ms_per_request']} ms/req  rss {row['server_rss_mb']} MB  "
        f"errors {row['errors']}"
    )
