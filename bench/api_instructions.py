"""Instructions per request for `GET /api/v1/me/today`, `POST /api/v1/me/sessions` and the
logged-in patient's `/today/` page.

CPU time on these shared machines wanders by a third from one minute to the next; the number
of instructions a request takes does not. Each request kind runs in a process of its own under
valgrind's callgrind (``apt-get install valgrind``): a throwaway data dir (production settings)
with the `api-load` patient and token (for the page, that patient logged in through the form),
30 warm-up requests through Django's test client (the whole middleware stack and the view; not
the HTTP server), then the counting is switched on (``callgrind_control -i on``) for
``REQUESTS`` requests only.

Each kind runs on SQLite; then, when the local PostgreSQL answers at
``BACKSTRETCH_BENCH_INSTRUCTIONS_URL`` (default
postgres://postgres@127.0.0.1:5432/backstretch_bench_instructions, dropped and made again for
each kind), on PostgreSQL, where the count includes the driver's work for each query; then,
when Redis answers at ``BACKSTRETCH_BENCH_INSTRUCTIONS_REDIS_URL`` (default
redis://127.0.0.1:6379/10, emptied first), on PostgreSQL with Redis as the cache, as several
servers share one, where it includes the client's work for each round trip. Time in the kernel
(the sockets' system calls) is not counted.

Reported: millions of instructions per request. No target: compare two commits with it (check
out one, run, check out the other, run) when the change is smaller than the noise of the timed
benchmarks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.clinic_network import fresh_database
from bench.support import app_env, emptied_redis

REQUESTS = 100
WARM_UP = 30
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/backstretch_bench_instructions"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
KINDS = (
    ("today", "GET /api/v1/me/today"),
    ("sessions", "POST /api/v1/me/sessions"),
    ("page", "GET /today/"),
)

# Runs under valgrind: one kind of request, counted only while asked for.
CHILD = """
import contextlib, io, json, os, subprocess, sys, uuid
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from bench.api_load import SETUP, session_template
call_command("migrate", verbosity=0)
made = io.StringIO()
with contextlib.redirect_stdout(made):
    exec("import json\\n" + SETUP, {})
facts = json.loads(made.getvalue().strip().splitlines()[-1])
kind, count, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if kind == "page":
    call_command("collectstatic", interactive=False, verbosity=0)  # the page names its files
    client = Client(HTTP_HOST="localhost")
    answer = client.post("/accounts/login/", {"username": "load@bench.backstretch.test",
                                              "password": "bench-password-2026"})
    assert answer.status_code == 302, answer.content
else:
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer " + facts["token"])
body = session_template(facts["version"])

def one():
    if kind == "page":
        answer = client.get("/today/")
        assert answer.status_code == 200 and b"today__title" in answer.content, answer.status_code
    elif kind == "sessions":
        answer = client.post("/api/v1/me/sessions", body % uuid.uuid4(),
                             content_type="application/json")
        assert answer.status_code == 201, answer.content
    else:
        answer = client.get("/api/v1/me/today")
        assert answer.status_code == 200, answer.content

for _ in range(warm):
    one()
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True,
               capture_output=True)
for _ in range(count):
    one()
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True,
               capture_output=True)
"""


def count(
    kind: str, requests: int, database_url: str | None = None, cache_url: str | None = None
) -> float:
    """Millions of instructions per request of ``kind`` (one of ``KINDS``), on SQLite or on
    the PostgreSQL database at ``database_url`` (made afresh), with each process's own cache
    or the Redis database at ``cache_url`` (emptied first)."""
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-instr-") as scratch:
        env = app_env(str(Path(scratch) / "data"))
        if database_url:
            fresh_database(database_url)
            env["DATABASE_URL"] = database_url
        if cache_url:
            if not emptied_redis(cache_url):
                raise RuntimeError(f"no Redis server answers at {cache_url}")
            env["BACKSTRETCH_CACHE_URL"] = cache_url
        env["DJANGO_SETTINGS_MODULE"] = "backstretch.settings"
        env["BACKSTRETCH_WRITES_PER_MINUTE"] = env["BACKSTRETCH_WRITES_PER_DAY"] = "1000000000"
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={scratch}/callgrind.out",
            sys.executable,
            "-c",
            CHILD,
            kind,
            str(requests),
            str(WARM_UP),
        ]
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"the counted run failed:\n{run.stderr[-3000:]}")
        found = re.search(r"Collected : (\d+)", run.stderr)
        if found is None:
            raise RuntimeError(f"callgrind reported no count:\n{run.stderr[-2000:]}")
        return int(found.group(1)) / requests / 1e6


def run(quick: bool = False) -> dict[str, Any]:
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("api-instructions needs valgrind: apt-get install valgrind")
    requests = 20 if quick else REQUESTS
    results: dict[str, Any] = {"requests": requests, "warm_up": WARM_UP}
    databases: list[tuple[str, str | None, str | None]] = [("sqlite", None, None)]
    url = os.environ.get("BACKSTRETCH_BENCH_INSTRUCTIONS_URL", DEFAULT_URL)
    cache_url = os.environ.get("BACKSTRETCH_BENCH_INSTRUCTIONS_REDIS_URL", DEFAULT_REDIS_URL)
    if postgres_answers(url):
        databases.append(("postgres", url, None))
        if emptied_redis(cache_url):
            databases.append(("pg+redis", url, cache_url))
        else:
            print(f"  no Redis answers at {cache_url}: PostgreSQL without it", flush=True)
    else:
        print(f"  no PostgreSQL answers at {url}: SQLite only", flush=True)
    for database, database_url, cache in databases:
        for kind, label in KINDS:
            millions = round(count(kind, requests, database_url, cache), 3)
            results[f"{database}_{kind}_million_instructions"] = millions
            print(
                f"  {database:<8} {label:<26} {millions:.3f} million instructions per request",
                flush=True,
            )
    return results


def postgres_answers(url: str) -> bool:
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return True
    except psycopg.Error:
        return False
