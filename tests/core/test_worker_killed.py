"""`backstretch worker` as an admin meets it: killed with kill -9 in the middle of a clinic
export, the export is finished by the next worker started, with nothing to do by hand."""

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent / "backstretch"
DEADLINE = 120

ASK = """
from backstretch.clinic.models import Membership
from backstretch.records.clinic_exports import request_export
admin = Membership.objects.filter(is_admin=True).select_related("clinic", "user").first()
print(request_export(admin.clinic, admin.user, "http://127.0.0.1:8000").pk)
"""
STATE = """
from django_tasks_db.models import DBTaskResult
from backstretch.records.models import ClinicExport
from backstretch.records.clinic_exports import path_of
e = ClinicExport.objects.get(pk={pk})
job = DBTaskResult.objects.get(pk=e.task_id)
print(e.state, e.patients, job.status, len(job.worker_ids), path_of(e))
"""

# Clinic patients whose dashboard standing is missing or out of date.
TRIAGED = """
from django.utils import timezone
from backstretch.accounts.models import PatientProfile
from backstretch.clinic.standing import stale
clinic = PatientProfile.objects.filter(clinic__isnull=False)
assert clinic.exists()
print(stale(clinic, timezone.now()).count())
"""


def run(env, *args: str) -> str:
    done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def worker(env, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN), "worker", "--interval", "0.2"],
        env=dict(env, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)  # poll: another process is working


def test_an_export_whose_worker_is_killed_is_finished_by_the_next_worker(cli_env, tmp_path):
    run(cli_env, "migrate", "-v0")
    run(cli_env, "library", "sync")
    run(cli_env, "demo")
    pk = run(cli_env, "shell", "-c", ASK).strip()
    hold = tmp_path / "hold"
    hold.touch()
    first = worker(cli_env, BACKSTRETCH_TEST_EXPORT_HOLD=str(hold))
    try:
        # The export has written its first patient and waits there: kill its worker.
        wait_for(lambda: Path(f"{hold}.reached").exists(), "the export to start")
        state = run(cli_env, "shell", "-c", STATE.format(pk=pk)).split()
        assert state[0] == "running" and state[2] == "RUNNING", state
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()
        first.communicate()
    hold.unlink()
    # Nobody touches the queue: the next worker sees the dead one's job and runs it again.
    second = worker(cli_env)
    try:

        def ready() -> bool:
            return run(cli_env, "shell", "-c", STATE.format(pk=pk)).startswith("ready")

        wait_for(ready, "the export to be ready")
        # Beside its jobs, the worker brought every clinic patient's dashboard order up to
        # date, so no clinician's first visit of the day has to triage the caseload.
        wait_for(lambda: run(cli_env, "shell", "-c", TRIAGED) == "0", "the clinic triaged")
    finally:
        second.send_signal(signal.SIGTERM)
        output = second.communicate(timeout=60)[0]
    assert second.returncode == 0, output
    assert "queued again" in output
    state, patients, status, tries, path = run(cli_env, "shell", "-c", STATE.format(pk=pk)).split()
    assert (status, tries) == ("SUCCESSFUL", "2")
    assert int(patients) >= 2
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert "fhir/Patient.ndjson" in archive.namelist()
        lines = archive.read("fhir/Patient.ndjson").splitlines()
    assert len(lines) == int(patients)
    assert not list(Path(path).parent.glob("*.partial"))
