"""What a patient's largest posts cost their clinician's page, against a real `backstretch serve`.

Issue 14 found that 30 posts of 0.65 MB each (5,000 step results, 200 "this hurts" reports and
a 2,000-character note per session) took the clinician's page of that patient from 0.35 MB /
0.34 s to 25 MB / 18.5 s. This bench posts the issue's heavy session once (reporting whether
the server takes it), then 30 sessions as large as the server accepts (the heavy one if it takes
it, else one result and one report for each step a session may play, twice the timeline's,
and a note of the longest allowed length), one a day for the last 30 days, through the API
with a token. It then logs in as the clinician and times the patient's page (uncompressed
bytes; median of 5 requests after one warm-up) before and after the posts.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bench.clinic_dashboard import EMAIL, PASSWORD, TOTP_KEY, log_in
from bench.support import served

POSTS, NOTE = 30, "x" * 2000

# Runs inside `backstretch shell -c` in the throwaway data dir (the app's own settings).
POPULATE = """
from datetime import timedelta
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.tokens import create_token
from backstretch.clinic.models import Clinic, Membership
from backstretch.library.services import sync_library
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import start_routine_from_template
from backstretch.safety.models import RedFlagScreen

sync_library()
clinic = Clinic.objects.create(name="Bench clinic")
me = User.objects.create_user("{email}", "{password}", name="Bench Clinician")
Membership.objects.create(clinic=clinic, user=me, is_clinician=True)
TOTPDevice.objects.create(user=me, name="bench phone", key="{totp_key}", confirmed=True)
patient = User.objects.create_user("heavy@bench.backstretch.test", "patient-password-1",
                                   name="Heavy Poster")
PatientProfile.objects.create(user=patient, clinic=clinic, clinician=me,
                              screened_by_clinician=True)
RedFlagScreen.objects.create(user=patient, answers={{}}, urgency="clear")
routine = start_routine_from_template(patient, "daily-four")
RoutineVersion.objects.filter(routine=routine).update(
    created_at=timezone.now() - timedelta(days=60))
open("{out}", "w").write(f"{{patient.pk}} {{create_token(patient)[1]}}")
"""


def session(version: int, day: int, steps: int, hurts: int, slug: str) -> dict[str, Any]:
    started = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(
        days=day
    )
    ended = started + timedelta(minutes=20)
    step = {"result": "hurt", "hurt_severity": "sharp", "kind": "hold", "exercise": slug}
    return {
        "client_id": str(uuid.uuid4()),
        "routine_version": version,
        "started_at": started.isoformat(),
        "ended_at": ended.isoformat(),
        "pain_before": 7,
        "pain_after": 8,
        "note": NOTE,
        "completed": False,
        "steps": [
            {"index": n, **step, "position": "floor", "side": "left", "rep": 1 + n % 100}
            for n in range(steps)
        ],
        "hurt_reports": [
            {
                "step_index": n % steps,
                "exercise": slug,
                "position": "floor",
                "side": "left",
                "severity": "sharp",
                "numbness": True,
                "action": "continue",
                "reported_at": ended.isoformat(),
            }
            for n in range(hurts)
        ],
    }


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, float]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=300)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, data, elapsed


def page_figures(base: str, cookie: str, patient: str) -> dict[str, float]:
    samples, size = [], 0
    for index in range(6):
        status, body, elapsed = request(
            base, "GET", f"/clinic/patients/{patient}/", headers={"Cookie": cookie}
        )
        if status != 200:
            raise RuntimeError(f"the patient page answered {status}")
        size = len(body)
        if index:  # the first request warms the worker
            samples.append(elapsed)
    return {"mb": round(size / 1e6, 3), "seconds": round(statistics.median(samples), 3)}


def run(quick: bool = False) -> dict[str, Any]:
    handle, out = tempfile.mkstemp(prefix="backstretch-bench-token-")
    os.close(handle)
    populate = POPULATE.format(email=EMAIL, password=PASSWORD, out=out, totp_key=TOTP_KEY)
    result: dict[str, Any] = {}
    with served(workers=2, setup=[["migrate", "-v0"], ["shell", "-c", populate]]) as base:
        with open(out) as file:
            patient, token = file.read().split()
        os.unlink(out)
        api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        _status, today_body, _ = request(base, "GET", "/api/v1/me/today", headers=api)
        today = json.loads(today_body)
        version, timeline = today["routine"]["version"], today["timeline"]["steps"]
        slug = next(step["exercise"] for step in timeline if step["exercise"])
        parts = urlsplit(base)
        cookie = log_in(http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60))
        result["before"] = page_figures(base, cookie, patient)

        heavy = json.dumps(session(version, 31, 5000, 200, slug)).encode()
        status, answer, _ = request(base, "POST", "/api/v1/me/sessions", heavy, api)
        result["issue_post"] = {"mb": round(len(heavy) / 1e6, 3), "status": status}
        if status == 201:
            steps, hurts = 5000, 200
        else:
            print(
                f"the issue's post ({len(heavy) / 1e6:.2f} MB) answered {status}: {answer[:300]!r}"
            )
            # The most a session may hold: twice its timeline's steps (practice/services.py).
            steps = 2 * len(timeline)
            hurts = min(steps, 200)  # the API takes at most 200 reports a session
        sizes = []
        for day in range(1, POSTS + 1):
            body = json.dumps(session(version, day, steps, hurts, slug)).encode()
            status, answer, _ = request(base, "POST", "/api/v1/me/sessions", body, api)
            if status != 201:
                raise RuntimeError(f"post {day} answered {status}: {answer[:300]!r}")
            sizes.append(len(body))
        result["posts"] = {"count": POSTS, "mb_each": round(max(sizes) / 1e6, 3)}
        result["after"] = page_figures(base, cookie, patient)
    print(
        f"{POSTS} posts of {result['posts']['mb_each']} MB ({steps} steps, {hurts} reports each); "
        f"patient page before {result['before']['mb']} MB / {result['before']['seconds']} s, "
        f"after {result['after']['mb']} MB / {result['after']['seconds']} s"
    )
    return result
