"""A clinic network on PostgreSQL, served by two `backstretch serve` instances at once.

50 clinics × 200 patients (10,000), six months of practice each (about 110 sessions per
patient, 1.1 million in all, written with PostgreSQL's COPY), a red-flag screen each, a few
messages each (a quarter of the patients with some unread) and one clinician per clinic with an
authenticator app. The database is vacuumed and analysed after loading, as after any bulk load.
Two servers on two ports, each with half the machine's cores (``BACKSTRETCH_WORKERS``: one
worker each on two cores, as each would have the cores of its own machine), share the
database, one secret key and one cache, as docs/operations.md says several servers should:
Redis (``BACKSTRETCH_BENCH_REDIS_URL``, default redis://127.0.0.1:6379/9, a database the bench
empties first) when a server answers there, else a directory (``file://…``); the run says
which. For each of
``GET /api/v1/me/today``, ``POST /api/v1/me/sessions``, ``/today/`` (a logged-in patient) and
``/clinic/`` (a logged-in clinician), two wrk processes run at once, one against each server,
16 connections each (32 in all), for 10 s after a warm-up. Reported: the total requests/s, the
worse p50 and p99 of the two, and CPU per request of the app servers (both, master and
workers), of PostgreSQL (every postgres process) and of the cache (every redis-server
process), from /proc.

Targets: as on SQLite (bench/api_load.py, issue 17): today ≥ 800 req/s with p99 ≤ 60 ms,
sessions ≥ 300/s with p99 ≤ 80 ms and no error, /today/ ≤ 4 ms and /clinic/ ≤ 30 ms of app CPU
per request.

The database is ``BACKSTRETCH_BENCH_DATABASE_URL`` (default: a database of its own on the
local server, postgres://postgres@127.0.0.1:5432/backstretch_bench_network), dropped and made
again on every run.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.api_load import cpu_seconds, rss_mb, server_pids, session_template, start, wrk_with
from bench.clinic_dashboard import PASSWORD, TOTP_KEY, log_in
from bench.support import BIN, app_env, emptied_redis

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/backstretch_bench_network"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
CLINICS, PATIENTS, DAYS, MESSAGES = 50, 200, 182, 4
CONNECTIONS, SECONDS = 16, 10.0

POPULATE = """
import json, random, uuid
from datetime import datetime, time, timedelta, timezone as tz
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.tokens import create_token
from backstretch.clinic.models import Clinic, Membership
from backstretch.library.services import sync_library
from backstretch.messaging.models import Message, Thread
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import stored_item, template_items
from backstretch.safety.models import RedFlagScreen

sync_library()
rng = random.Random(7)
name, items = template_items("daily-four")
stored = [stored_item(i) for i in items]
steps = json.dumps([{"index": n, "kind": "hold", "exercise": items[n].exercise,
                     "position": "floor", "rep": 1, "result": "done"} for n in range(len(items))])
today = datetime.now(tz.utc).date()
digest = make_password("__PASSWORD__")
with transaction.atomic():
    clinics = Clinic.objects.bulk_create(
        [Clinic(name=f"Clinic {c:02d}") for c in range(__CLINICS__)]
    )
    clinicians = User.objects.bulk_create([
        User(email=f"clinician{c}@bench.backstretch.test", name=f"Clinician {c:02d}",
             password=digest)
        for c in range(__CLINICS__)
    ])
    Membership.objects.bulk_create([
        Membership(clinic=k, user=u, is_clinician=True) for k, u in zip(clinics, clinicians)
    ])
    TOTPDevice.objects.bulk_create([
        TOTPDevice(user=u, name="bench phone", key="__TOTP_KEY__", confirmed=True)
        for u in clinicians
    ])
    users = User.objects.bulk_create([
        User(email=f"p{c}-{n}@bench.backstretch.test", name=f"Patient {c:02d}-{n:03d}",
             password=digest)
        for c in range(__CLINICS__) for n in range(__PATIENTS__)
    ], batch_size=2000)
    PatientProfile.objects.bulk_create([
        PatientProfile(user=u, clinic=clinics[i // __PATIENTS__],
                       clinician=clinicians[i // __PATIENTS__], screened_by_clinician=True)
        for i, u in enumerate(users)
    ], batch_size=2000)
    routines = Routine.objects.bulk_create(
        [Routine(patient=u, name=name) for u in users], batch_size=2000
    )
    versions = RoutineVersion.objects.bulk_create([
        RoutineVersion(routine=r, number=1, items=stored, days=list(range(7)))
        for r in routines
    ], batch_size=2000)
    # Prescribed before their history began (adherence counts from the prescription).
    RoutineVersion.objects.update(created_at=timezone.now() - timedelta(days=__DAYS__ + 1))
    RedFlagScreen.objects.bulk_create(
        [RedFlagScreen(user=u, answers={}, urgency="clear") for u in users], batch_size=2000
    )
    threads = Thread.objects.bulk_create(
        [Thread(patient=u, clinic=clinics[i // __PATIENTS__]) for i, u in enumerate(users)],
        batch_size=2000,
    )
    Message.objects.bulk_create([
        Message(thread=t, from_patient=n % 2 == 0, body=f"Message {n} about the stretches.",
                author_id=t.patient_id if n % 2 == 0 else clinicians[i // __PATIENTS__].pk)
        for i, t in enumerate(threads) for n in range(__MESSAGES__)
    ], batch_size=5000)

columns = ("client_id, patient_id, routine_version_id, started_at, ended_at, local_date, "
           "pain_before, pain_after, note, steps, holds_done, holds_skipped, hurts, completed, "
           "variant, source, created_at")
made = 0
with connection.cursor() as cursor:
    with cursor.connection.cursor().copy(
        f"COPY practice_practicesession ({columns}) FROM STDIN"
    ) as copy:
        for user, version in zip(users, versions):
            chance = rng.uniform(0.3, 0.95)
            stop = rng.choice([0, 0, 0, 0, 4, 9])
            for back in range(__DAYS__, stop, -1):
                if rng.random() > chance:
                    continue
                day = today - timedelta(days=back)
                start = datetime.combine(day, time(8), tzinfo=tz.utc)
                before = rng.randint(2, 8)
                copy.write_row((
                    uuid.uuid4(), user.pk, version.pk, start, start + timedelta(minutes=9), day,
                    before, max(0, before - rng.randint(-1, 2)), "", steps, len(items), 0, 0,
                    True, "full", "web", start + timedelta(minutes=9),
                ))
                made += 1
    cursor.execute(
        "INSERT INTO practice_hurtreport (session_id, patient_id, step_index, exercise, "
        "position, side, severity, numbness, action, reported_at) "
        "SELECT id, patient_id, 1, %s, 'floor', '', 'little', false, 'continue', "
        "started_at + interval '3 minutes' FROM practice_practicesession WHERE id %% 100 = 7",
        [items[1].exercise],
    )
    cursor.execute("UPDATE messaging_thread SET clinic_read_id = (SELECT max(id) FROM "
                   "messaging_message m WHERE m.thread_id = messaging_thread.id) "
                   "WHERE id % 4 <> 0")
    # As after any bulk load: the visibility map and hint bits set and the planner's statistics
    # made now, not by autovacuum in the middle of the measured runs.
    cursor.execute("VACUUM (ANALYZE)")
print(json.dumps({
    "sessions": made,
    "tokens": [create_token(users[n * __PATIENTS__], "bench")[1] for n in range(2)],
    "versions": [versions[n * __PATIENTS__].pk for n in range(2)],
    "patients": [users[n * __PATIENTS__].email for n in range(2)],
    "clinicians": [clinicians[n].email for n in range(2)],
}))
"""


def server_workers() -> int:
    """Worker processes for each of the two servers: half this machine's cores (at least one)."""
    return max(1, (os.cpu_count() or 2) // 2)


def database_url() -> str:
    return os.environ.get("BACKSTRETCH_BENCH_DATABASE_URL", DEFAULT_URL)


def fresh_database(url: str) -> None:
    """Drop and make again the bench's own database (never another)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("backstretch_bench"):
        raise SystemExit(f"clinic-network only drops databases named backstretch_bench*: {name}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def shared_cache(scratch: str) -> tuple[str, str]:
    """(BACKSTRETCH_CACHE_URL for both servers, what it is): the bench's own database of a
    Redis server when one answers (``BACKSTRETCH_BENCH_REDIS_URL``, emptied first: the rows'
    keys are database ids, and the network is made again with the same ids), else a directory
    on this machine."""
    url = os.environ.get("BACKSTRETCH_BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if emptied_redis(url):
        return url, f"Redis ({url})"
    return f"file://{scratch}/cache", "a directory (no Redis server answered at " + url + ")"


def pids_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def postgres_pids() -> list[int]:
    return pids_named("postgres")


def page_login(base: str, email: str, second_step: bool) -> str:
    """The Cookie header of ``email`` logged in through the form (and the second step, for
    staff), on the server at ``base``."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        return log_in(connection, email, second_step)
    finally:
        connection.close()


def check_page(base: str, path: str, cookie: str, expect: bytes) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200 or expect not in body:
        where = response.getheader("Location") or ""
        raise RuntimeError(f"{base}{path} answered {response.status} {where} without {expect!r}")


def both(
    bases: list[str],
    masters: list[int],
    path: str,
    auths: list[str],
    seconds: float,
    bodies: list[str] | None = None,
) -> dict[str, Any]:
    """wrk against both servers at once (a warm-up, then the measured run)."""
    bodies = bodies or ["", ""]

    def run_pair(duration: float) -> list[dict]:
        # wrk is its own process: two threads each wait for one, so both load at once.
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = [
                pool.submit(wrk_with, bases[n] + path, auths[n], CONNECTIONS, duration, bodies[n])
                for n in range(2)
            ]
            return [run.result() for run in runs]

    run_pair(2.0)
    app = [pid for master in masters for pid in server_pids(master)]
    database, cache = postgres_pids(), pids_named("redis-server")
    app_before, db_before = cpu_seconds(app), cpu_seconds(database)
    cache_before = cpu_seconds(cache)
    results = run_pair(seconds)
    app_cpu, db_cpu = cpu_seconds(app) - app_before, cpu_seconds(database) - db_before
    cache_cpu = cpu_seconds(cache) - cache_before
    done = sum(r["requests"] for r in results)
    return {
        "requests": done,
        "errors": sum(r["non_2xx"] + r["socket_errors"] for r in results),
        "requests_per_s": round(sum(r["requests"] / (r["duration_us"] / 1e6) for r in results), 1),
        "p50_ms": round(max(r["p50_us"] for r in results) / 1000, 2),
        "p99_ms": round(max(r["p99_us"] for r in results) / 1000, 2),
        "app_cpu_ms_per_request": round(1000 * app_cpu / max(done, 1), 2),
        "db_cpu_ms_per_request": round(1000 * db_cpu / max(done, 1), 2),
        "cache_cpu_ms_per_request": round(1000 * cache_cpu / max(done, 1), 2),
        "app_rss_mb": rss_mb(app),
    }


def run(quick: bool = False) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("clinic-network needs wrk, a load generator: apt-get install wrk")
    clinics = 5 if quick else CLINICS
    seconds = 3.0 if quick else SECONDS
    url = database_url()
    fresh_database(url)
    results: dict[str, Any] = {"clinics": clinics, "patients_per_clinic": PATIENTS}
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-network-") as scratch:
        cache_url, results["cache"] = shared_cache(scratch)
        print(f"  shared cache: {results['cache']}", flush=True)
        envs = []
        for n in range(2):
            env = app_env(str(Path(scratch) / f"server{n}"))
            env["DATABASE_URL"] = url
            env["BACKSTRETCH_SECRET_KEY"] = "bench-" + uuid.uuid4().hex * 2
            env["BACKSTRETCH_CACHE_URL"] = cache_url
            env["BACKSTRETCH_WRITES_PER_MINUTE"] = env["BACKSTRETCH_WRITES_PER_DAY"] = "1000000000"
            # Each server has its share of the cores, as on machines of their own (its default
            # is one worker per core of the machine: two servers would want twice the cores).
            env.setdefault("BACKSTRETCH_WORKERS", str(server_workers()))
            envs.append(env)
        envs[1]["BACKSTRETCH_SECRET_KEY"] = envs[0]["BACKSTRETCH_SECRET_KEY"]
        results["workers_per_server"] = int(envs[0]["BACKSTRETCH_WORKERS"])
        print(f"  two servers, {results['workers_per_server']} worker(s) each", flush=True)
        started = time.perf_counter()
        subprocess.run([str(BIN), "migrate", "-v", "0"], env=envs[0], check=True)
        script = (
            POPULATE.replace("__CLINICS__", str(clinics))
            .replace("__PATIENTS__", str(PATIENTS))
            .replace("__DAYS__", str(DAYS))
            .replace("__MESSAGES__", str(MESSAGES))
            .replace("__PASSWORD__", PASSWORD)
            .replace("__TOTP_KEY__", TOTP_KEY)
        )
        made = subprocess.run(
            [str(BIN), "shell", "-c", script], env=envs[0], capture_output=True, text=True
        )
        if made.returncode != 0:
            raise RuntimeError(f"building the network failed:\n{made.stderr[-3000:]}")
        facts = json.loads(made.stdout.strip().splitlines()[-1])
        results["sessions"] = facts["sessions"]
        results["load_s"] = round(time.perf_counter() - started, 1)
        print(
            f"  {clinics} clinics × {PATIENTS} patients, {facts['sessions']} sessions, "
            f"loaded in {results['load_s']} s",
            flush=True,
        )
        servers = [start(env) for env in envs]
        try:
            bases = [base for _, base in servers]
            masters = [process.pid for process, _ in servers]
            bearer = [f"Authorization: Bearer {token}" for token in facts["tokens"]]
            patients = [
                f"Cookie: {page_login(b, e, False)}"
                for b, e in zip(bases, facts["patients"], strict=True)
            ]
            staff = [
                f"Cookie: {page_login(b, e, True)}"
                for b, e in zip(bases, facts["clinicians"], strict=True)
            ]
            for n, base in enumerate(bases):
                # Each cookie works on the other server too (one database, one secret key).
                check_page(base, "/today/", patients[1 - n].removeprefix("Cookie: "), b"<main")
                check_page(base, "/clinic/", staff[1 - n].removeprefix("Cookie: "), b"Needs a call")
            bodies = [session_template(version) for version in facts["versions"]]
            runs = {
                "api_today": ("/api/v1/me/today", bearer, None),
                "api_sessions": ("/api/v1/me/sessions", bearer, bodies),
                "page_today": ("/today/", patients, None),
                "page_clinic": ("/clinic/", staff, None),
            }
            for name, (path, auths, posted) in runs.items():
                row = both(bases, masters, path, auths, seconds, posted)
                results[name] = row
                print(
                    f"  {path:<22} {row['requests_per_s']:>7} req/s  p50 {row['p50_ms']} ms  "
                    f"p99 {row['p99_ms']} ms  app cpu {row['app_cpu_ms_per_request']} ms/req  "
                    f"db cpu {row['db_cpu_ms_per_request']} ms/req  "
                    f"cache cpu {row['cache_cpu_ms_per_request']} ms/req  errors {row['errors']}",
                    flush=True,
                )
        finally:
            for process, _ in servers:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    checks = {
        "today ≥ 800 req/s": results["api_today"]["requests_per_s"] >= 800,
        "today p99 ≤ 60 ms": results["api_today"]["p99_ms"] <= 60,
        "sessions ≥ 300/s": results["api_sessions"]["requests_per_s"] >= 300,
        "sessions p99 ≤ 80 ms": results["api_sessions"]["p99_ms"] <= 80,
        "sessions posted without an error": results["api_sessions"]["errors"] == 0,
        "/today/ ≤ 4 ms app CPU": results["page_today"]["app_cpu_ms_per_request"] <= 4,
        "/clinic/ ≤ 30 ms app CPU": results["page_clinic"]["app_cpu_ms_per_request"] <= 30,
    }
    for name, met in checks.items():
        print(f"  target {name}: {'met' if met else 'MISSED'}")
    results["targets_met"] = checks
    return results
