"""A clinic's bulk exports: asking for one, the background job that makes it, where its file
lives, its expiry and deletion. Every step is in the clinic's audit log."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent, Clinic
from backstretch.clinic.services import audit

from .bulk import hold_for_tests, write_export
from .models import ClinicExport

KEEP_DAYS = 7
logger = logging.getLogger(__name__)


def exports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # every patient's data: owner only
    return folder


def path_of(export: ClinicExport) -> Path:
    return exports_dir() / export.file_name


def request_export(clinic: Clinic, by: User, base: str) -> ClinicExport:
    export = ClinicExport.objects.create(
        clinic=clinic,
        requested_by=by,
        base_url=base,
        expires_at=timezone.now() + timedelta(days=KEEP_DAYS),
    )
    audit(by, None, clinic, AuditEvent.Action.EXPORT, f"clinic export #{export.pk} asked for")

    def enqueue() -> None:
        result = build_clinic_export.enqueue(export.pk)
        ClinicExport.objects.filter(pk=export.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return export


@task()
def build_clinic_export(export_id: int) -> int:
    """Make the export's zip. Safe to run again (a worker that died mid-way leaves its job to
    another, see core/worker.py): it starts the file afresh and replaces it only when whole."""
    export = ClinicExport.objects.select_related("clinic").filter(pk=export_id).first()
    if export is None:  # deleted while it waited
        return 0
    ClinicExport.objects.filter(pk=export_id).update(
        state=ClinicExport.State.RUNNING, started_at=timezone.now(), error=""
    )
    final = path_of(export)
    partial = final.with_suffix(".partial")
    hold = os.environ.get("BACKSTRETCH_TEST_EXPORT_HOLD")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            count = write_export(
                export.clinic,
                export.base_url,
                out,
                timezone.now(),
                hold_for_tests(hold) if hold else None,
            )
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
    except Exception as error:
        partial.unlink(missing_ok=True)
        ClinicExport.objects.filter(pk=export_id).update(
            state=ClinicExport.State.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:300],
        )
        raise
    if not ClinicExport.objects.filter(pk=export_id).update(
        state=ClinicExport.State.READY,
        finished_at=timezone.now(),
        patients=count,
        size=final.stat().st_size,
    ):
        final.unlink(missing_ok=True)  # deleted while it was being made
    return count


def settle(export: ClinicExport) -> ClinicExport:
    """An unfinished export whose job the queue gave up on (its workers kept dying) fails."""
    if not export.unfinished or not export.task_id:
        return export
    try:
        status = build_clinic_export.get_result(export.task_id).status
    except TaskResultDoesNotExist:
        return export
    if status == TaskResultStatus.FAILED:
        export.state = ClinicExport.State.FAILED
        export.error = export.error or "the worker stopped while making it"
        export.save(update_fields=["state", "error"])
    return export


def purge_expired() -> int:
    gone = 0
    for export in ClinicExport.objects.filter(expires_at__lt=timezone.now()):
        delete_export(export, None, "expired")
        gone += 1
    return gone


def delete_export(export: ClinicExport, by: User | None, why: str = "") -> None:
    """The row now, its file once that is committed (a job still making it drops it too)."""
    path = path_of(export)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    what = f"clinic export #{export.pk} deleted" + (f" ({why})" if why else "")
    AuditEvent.objects.create(
        clinic=export.clinic, actor=by, patient=None, action=AuditEvent.Action.ERASE, what=what
    )
    export.delete()


def forget_patient_in_exports(clinic: Clinic) -> None:
    """A patient who erases their account is in the clinic's exports: those go too."""
    for export in ClinicExport.objects.filter(clinic=clinic):
        delete_export(export, None, "a patient in it deleted their account")


def exports_of(clinic: Clinic) -> list[ClinicExport]:
    purge_expired()
    return [settle(e) for e in ClinicExport.objects.filter(clinic=clinic)[:50]]
