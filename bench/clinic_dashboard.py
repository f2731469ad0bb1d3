"""Server time and size of the clinician dashboard for 10, 200 and 1,000 patients, against a
real `backstretch serve`.

One clinician, N patients, a year of practice history each (about 225 sessions each, some
"this hurts" reports, a red-flag screen each, and 50 messages each, a quarter of the patients
with 2 the clinic has not read), written with bulk_create into a throwaway data
dir. The bench then logs in through the real login form (session cookie, CSRF token) and asks
for /clinic/ many times, one request at a time on one keep-alive connection.
Targets (issue 17): median ≤ 30 ms and ≤ 60 KB of HTML at every size, on SQLite. The first
request of a day triages the whole caseload into its kept standing (clinic.standing) and is
reported on its own.
"""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlencode, urlsplit

from django_otp.oath import totp

from bench.support import served, summary

EMAIL, PASSWORD = "clinician@bench.backstretch.test", "bench-password-2026"
# The bench clinician's authenticator app (staff type a code after their password).
TOTP_KEY = "3132333435363738393031323334353637383930"
SIZES, DAYS, MESSAGES = (10, 200, 1000), 365, 50
TARGET_MS, TARGET_KB = 30, 60


# Runs inside `backstretch shell -c` in the throwaway data dir (the app's own settings).
# (bench/clinic_export.py builds its clinics with it too.)
def populate_script(patients: int, days: int = DAYS, messages: int = MESSAGES) -> str:
    return f"""
import random, uuid
from datetime import datetime, time, timedelta, timezone as tz
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic, Membership
from backstretch.library.services import sync_library
from backstretch.messaging.models import Message, Thread
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import stored_item, template_items
from backstretch.safety.models import RedFlagScreen

sync_library()
rng = random.Random(7)
name, items = template_items("daily-four")
stored = [stored_item(i) for i in items]
steps = [{{"index": n, "kind": "hold", "exercise": items[n % len(items)].exercise,
          "position": "floor", "rep": 1 + n // len(items), "result": "done"}} for n in range(12)]
with transaction.atomic():
    clinic = Clinic.objects.create(name="Bench clinic")
    me = User.objects.create_user("{EMAIL}", "{PASSWORD}", name="Bench Clinician")
    Membership.objects.create(clinic=clinic, user=me, is_clinician=True)
    TOTPDevice.objects.create(user=me, name="bench phone", key="{TOTP_KEY}", confirmed=True)
    digest = make_password("patient-password-1")
    users = User.objects.bulk_create([
        User(email=f"p{{n}}@bench.backstretch.test", name=f"Patient {{n:03d}}", password=digest)
        for n in range({patients})
    ])
    PatientProfile.objects.bulk_create([
        PatientProfile(user=u, clinic=clinic, clinician=me, screened_by_clinician=True)
        for u in users
    ])
    routines = Routine.objects.bulk_create([Routine(patient=u, name=name) for u in users])
    versions = RoutineVersion.objects.bulk_create([
        RoutineVersion(routine=r, number=1, items=stored, days=list(range(7)))
        for r in routines
    ])
    # Prescribed before their history began (adherence counts from the prescription).
    RoutineVersion.objects.update(created_at=timezone.now() - timedelta(days={days} + 1))
    RedFlagScreen.objects.bulk_create([
        RedFlagScreen(user=u, answers={{}}, urgency="clear") for u in users
    ])
    today = datetime.now(tz.utc).date()
    sessions = []
    for user, version in zip(users, versions):
        chance = rng.uniform(0.3, 0.95)
        stop = rng.choice([0, 0, 0, 0, 4, 9])
        for back in range({days}, stop, -1):
            if rng.random() > chance:
                continue
            day = today - timedelta(days=back)
            start = datetime.combine(day, time(8), tzinfo=tz.utc)
            before = rng.randint(2, 8)
            sessions.append(PracticeSession(
                client_id=uuid.uuid4(), patient=user, routine_version=version,
                started_at=start, ended_at=start + timedelta(minutes=9), local_date=day,
                pain_before=before, pain_after=max(0, before - rng.randint(-1, 2)),
                steps=steps, holds_done=12, completed=True,
            ))
    PracticeSession.objects.bulk_create(sessions, batch_size=2000)
    stored_sessions = PracticeSession.objects.filter(patient__in=users).only(
        "pk", "patient_id", "started_at"
    )
    HurtReport.objects.bulk_create([
        HurtReport(session=s, patient_id=s.patient_id, step_index=3, exercise=items[0].exercise,
                   position="floor", side="", severity="little", action="continue",
                   reported_at=s.started_at + timedelta(minutes=3))
        for s in stored_sessions if rng.random() < 0.01
    ], batch_size=2000)
    threads = Thread.objects.bulk_create([Thread(patient=u, clinic=clinic) for u in users])
    Message.objects.bulk_create([
        Message(thread=t, author_id=t.patient_id if n % 2 == 0 else me.pk,
                from_patient=n % 2 == 0, body=f"Message {{n}} about the stretches.")
        for t in threads for n in range({messages})
    ], batch_size=2000)
    for n, thread in enumerate(threads):
        ids = list(Message.objects.filter(thread=thread, from_patient=True)
                   .order_by("-id").values_list("id", flat=True)[:3])
        thread.clinic_read_id = ids[2] if n % 4 == 0 else ids[0]
    Thread.objects.bulk_update(threads, ["clinic_read_id"], batch_size=500)
print(len(sessions), "sessions")
"""


def form_post(
    connection: http.client.HTTPConnection, path: str, fields: dict[str, str], cookie: str
) -> http.client.HTTPResponse:
    """GET the form at ``path`` for its CSRF token, then POST ``fields`` to it."""
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    if not token:
        raise RuntimeError(f"{path} gave no CSRF token")
    cookies = [c for c in (cookie, csrf_cookie and f"csrftoken={csrf_cookie.group(1)}") if c]
    connection.request(
        "POST",
        path,
        body=urlencode({"csrfmiddlewaretoken": token.group(1), **fields}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(cookies),
        },
    )
    response = connection.getresponse()
    response.read()
    return response


def log_in(
    connection: http.client.HTTPConnection, email: str = EMAIL, second_step: bool = True
) -> str:
    """Log in through the form, then (``second_step``, for staff) type the authenticator's
    code; returns the Cookie header of the logged-in session."""
    response = form_post(
        connection, "/accounts/login/", {"username": email, "password": PASSWORD}, ""
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"logging in failed ({response.status})")
    cookie = f"sessionid={session.group(1)}"
    if not second_step:
        return cookie
    code = totp(bytes.fromhex(TOTP_KEY))
    response = form_post(connection, "/accounts/two-step/", {"code": f"{code:06d}"}, cookie)
    if response.status != 302:
        raise RuntimeError(f"the second step failed ({response.status})")
    renewed = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    return f"sessionid={renewed.group(1)}" if renewed else cookie


def time_dashboard(base: str, count: int) -> tuple[list[float], list[float], int]:
    """(warm samples, the 5 warm-up ones, bytes of HTML). The first page triages everyone
    into their standing; a worker's first pages build the rows shown; later pages reuse the
    rows whose facts did not change (clinic/dashboard.py, clinic/standing.py)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    cookie = log_in(connection)
    samples: list[float] = []
    warm_up: list[float] = []
    size = 0
    for index in range(count + 5):
        started = time.perf_counter()
        connection.request("GET", "/clinic/", headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or b"Needs a call" not in body:
            raise RuntimeError(f"/clinic/ answered {response.status}")
        size = len(body)
        # the first requests warm caches and workers
        (samples if index >= 5 else warm_up).append(elapsed)
    connection.close()
    return samples, warm_up, size


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    count = 20 if quick else 100
    results = {}
    for patients in SIZES[:2] if quick else SIZES:
        setup = [["migrate", "-v0"], ["shell", "-c", populate_script(patients)]]
        started = time.perf_counter()
        with served(workers=2, setup=setup) as base:
            ready = time.perf_counter() - started
            print(f"{patients} patients × {DAYS} days ready in {ready:.0f} s")
            samples, warm_up, size = time_dashboard(base, count)
        result: dict[str, float] = dict(summary(samples))
        result["first_ms"] = round(warm_up[0], 2)
        result["html_kb"] = round(size / 1024, 1)
        results[str(patients)] = result
        met = result["median_ms"] <= TARGET_MS and result["html_kb"] <= TARGET_KB
        print(
            f"/clinic/ ({patients} patients)   median {result['median_ms']:6.2f} ms  "
            f"p90 {result['p90_ms']:6.2f} ms  {result['html_kb']:.0f} KB  n={count}  "
            f"(target ≤ {TARGET_MS} ms and ≤ {TARGET_KB} KB: {'met' if met else 'MISSED'})"
        )
        first = ", ".join(f"{ms:.1f}" for ms in warm_up)
        print(f"  first 5 requests (the first triages everyone): {first} ms")
    return results
