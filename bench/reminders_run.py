"""`backstretch send-reminders` for 10,000 patients due in the same minute, two copies at once.

A throwaway data dir with N patients (screened in the clinic, on the daily-four routine,
e-mail reminders at 08:00 UTC on a confirmed address, none practised today), a loopback SMTP
server (aiosmtpd) that counts what it receives, then two `send-reminders --now 08:00` runs
started together. Targets (issue 17): both finish within the minute, and every patient gets
exactly one e-mail.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from aiosmtpd.controller import Controller

from bench.support import BIN, app_env, free_port

PATIENTS = 10_000
TARGET_SECONDS = 60


def populate(patients: int) -> str:
    return f"""
from datetime import date, time, timedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic
from backstretch.library.services import sync_library
from backstretch.reminders.models import ReminderSettings
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import stored_item, template_items

sync_library()
name, items = template_items("daily-four")
stored = [stored_item(i) for i in items]
digest = make_password("patient-password-1")
with transaction.atomic():
    clinic = Clinic.objects.create(name="Bench clinic")
    users = User.objects.bulk_create([
        User(email=f"p{{n}}@bench.backstretch.test", name=f"Patient {{n}}", password=digest,
             email_verified=True, time_zone="UTC")
        for n in range({patients})
    ], batch_size=2000)
    PatientProfile.objects.bulk_create([
        PatientProfile(user=u, clinic=clinic, screened_by_clinician=True) for u in users
    ], batch_size=2000)
    routines = Routine.objects.bulk_create(
        [Routine(patient=u, name=name) for u in users], batch_size=2000
    )
    RoutineVersion.objects.bulk_create([
        RoutineVersion(routine=r, number=1, items=stored, days=list(range(7))) for r in routines
    ], batch_size=2000)
    ReminderSettings.objects.bulk_create([
        ReminderSettings(patient=u, time=time(8, 0), days=list(range(7)), channels=["email"],
                         first_day=date(2026, 1, 1), feed_token=f"bench-{{u.pk}}")
        for u in users
    ], batch_size=2000)
print(len(users), "patients")
"""


class Counting:
    def __init__(self) -> None:
        self.received: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        return "250 OK"


def run(quick: bool = False) -> dict[str, float]:
    patients = 1_000 if quick else PATIENTS
    counting = Counting()
    port = free_port()
    smtp = Controller(counting, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with tempfile.TemporaryDirectory(prefix="backstretch-bench-") as data_dir:
            env = app_env(data_dir)
            env["BACKSTRETCH_EMAIL_HOST"] = "127.0.0.1"
            env["BACKSTRETCH_EMAIL_PORT"] = str(port)
            for command in (["migrate", "-v0"], ["shell", "-c", populate(patients)]):
                subprocess.run([str(BIN), *command], env=env, check=True, capture_output=True)
            now = datetime.now(UTC).replace(hour=8, minute=0, second=30, microsecond=0)
            started = time.perf_counter()
            runs = [
                subprocess.Popen(
                    [str(BIN), "send-reminders", "--now", now.isoformat()],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for _ in range(2)
            ]
            outputs = [process.communicate(timeout=1800)[0].strip() for process in runs]
            seconds = time.perf_counter() - started
    finally:
        smtp.stop()
    once = sum(1 for count in counting.received.values() if count == 1)
    twice = sum(1 for count in counting.received.values() if count > 1)
    for output in outputs:
        print(f"  {output.splitlines()[-1] if output else '(no output)'}")
    met = seconds <= TARGET_SECONDS and once == patients and twice == 0
    print(
        f"send-reminders, {patients} patients due in one minute, two copies at once: "
        f"{seconds:.1f} s; {once} got one e-mail, {twice} more than one "
        f"(target ≤ {TARGET_SECONDS} s, each exactly once: {'met' if met else 'MISSED'})"
    )
    return {"patients": patients, "seconds": round(seconds, 1), "once": once, "twice": twice}
