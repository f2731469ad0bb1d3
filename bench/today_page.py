"""Server time, server CPU and HTML size of a logged-in patient's `/today/`, measured against a
real `backstretch serve`.

The throwaway data dir holds the demo (`backstretch demo`: clinics, patients with their
routines and six weeks of practice history, check-ins and messages); the bench logs in as a
demo patient through the real login form and asks for `/today/` one request at a time on one
keep-alive connection, after a warm-up. Server CPU per request is the utime+stime of the
server's master and workers (from /proc) over the timed requests, divided by their number.
Target (issue 17): ≤ 4 ms of server CPU per request.
"""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlsplit

from bench.api_load import server_pids, timed_gets
from bench.clinic_dashboard import form_post
from bench.support import serving, summary

# A demo patient on the daily-four routine with six weeks of history whose weekly check-in
# is due, so the page holds everything Today can show (the check-in form included).
PATIENT = "maria@demo.backstretch.test"
PASSWORD = "bench-demo-password-2026"  # the demo's accounts get it (BACKSTRETCH_DEMO_PASSWORD)
WARM_UP = 10
TARGET_CPU_MS = 4.0


def log_in(connection: http.client.HTTPConnection, email: str, password: str) -> str:
    response = form_post(
        connection, "/accounts/login/", {"username": email, "password": password}, ""
    )
    cookie = response.getheader("Set-Cookie") or ""
    session = next((p for p in cookie.replace(",", ";").split(";") if "sessionid=" in p), "")
    if response.status != 302 or not session:
        raise RuntimeError(f"logging in as {email} failed ({response.status})")
    return session.strip()


def time_today(base: str, password: str, count: int, pids: list[int]) -> dict[str, Any]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    cookie = log_in(connection, PATIENT, password)

    def check(status: int, body: bytes) -> None:
        if status != 200 or b"today__title" not in body:
            raise RuntimeError(f"/today/ answered {status} without the routine")

    samples, cpu_ms, body = timed_gets(
        connection, "/today/", {"Cookie": cookie}, count, WARM_UP, pids, check
    )
    connection.close()
    result: dict[str, Any] = summary(samples)
    result["cpu_ms_per_request"] = round(cpu_ms, 2)
    result["html_kb"] = round(len(body) / 1024, 1)
    result["checkin_form"] = b'id="weekly-checkin"' in body
    return result


def run(quick: bool = False) -> dict[str, Any]:
    count = 50 if quick else 300
    setup = [["migrate", "-v0"], ["demo", "--json"]]
    extra_env = {"BACKSTRETCH_DEMO_PASSWORD": PASSWORD}
    with serving(workers=2, setup=setup, extra_env=extra_env) as (base, master):
        r = time_today(base, PASSWORD, count, server_pids(master))
    met = "met" if r["cpu_ms_per_request"] <= TARGET_CPU_MS else "NOT met"
    print(
        f"/today/ median {r['median_ms']:6.2f} ms  p90 {r['p90_ms']:6.2f} ms  "
        f"CPU {r['cpu_ms_per_request']:6.2f} ms/request  HTML {r['html_kb']:5.1f} KB  "
        f"check-in form {'shown' if r['checkin_form'] else 'not shown'}  n={count}"
    )
    print(
        f"/today/ server CPU {r['cpu_ms_per_request']:.2f} ms per request "
        f"(target ≤ {TARGET_CPU_MS:g} ms: {met})"
    )
    r["target_met"] = met == "met"
    return r
