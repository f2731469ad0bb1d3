"""``backstretch worker``'s lifeline: a heartbeat, and recovery of jobs a dead worker held.

django-tasks-db marks a job RUNNING when a worker claims it and leaves it so if that worker
dies (kill -9, out of memory, a machine switched off): nothing would ever run it again. So
each worker writes a ``WorkerBeat`` every ``BEAT_SECONDS``, and every worker, when it starts
and at each beat, puts back in the queue each RUNNING job whose worker is gone:

- its beat is older than ``LEASE_SECONDS`` (any machine), or it has no beat at all; or
- it ran on this machine and its process no longer exists (seen at once, no lease to wait).

A job is tried at most ``MAX_TRIES`` times: one that killed that many workers is marked failed
instead, so a job that always runs out of memory cannot stop the queue for ever.
Jobs must therefore be safe to run again (a clinic export starts its file afresh).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import processes
from .models import WorkerBeat

BEAT_SECONDS = 5
LEASE_SECONDS = 60
MAX_TRIES = 3
CHORE_SECONDS = 60

logger = logging.getLogger("backstretch.worker")


def new_worker_id() -> str:
    host = socket.gethostname()[:40]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def live_worker_ids() -> set[str]:
    fresh = timezone.now() - timedelta(seconds=LEASE_SECONDS)
    host = socket.gethostname()
    alive = set()
    for beat in WorkerBeat.objects.filter(seen_at__gte=fresh):
        if beat.host == host and not processes.alive(beat.pid):
            continue
        alive.add(beat.worker_id)
    return alive


def running_workers() -> int:
    """How many workers beat within the lease (for ``serve``'s banner)."""
    return len(live_worker_ids())


def recover() -> tuple[int, int]:
    """Queue again each RUNNING job whose worker is gone (failed after MAX_TRIES).
    Returns (queued again, failed)."""
    alive = live_worker_ids()
    requeued = failed = 0
    for job in DBTaskResult.objects.running().only("id", "worker_ids"):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            still = DBTaskResult.objects.running().filter(pk=job.pk)
            if len(job.worker_ids) >= MAX_TRIES:
                changed = still.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path="backstretch.core.worker.WorkerLost",
                    traceback=f"Its worker stopped while running it, {MAX_TRIES} times.",
                )
                failed += changed
            else:
                changed = still.update(status=TaskResultStatus.READY, started_at=None)
                requeued += changed
        if changed:
            logger.warning(
                "Job %s was running on worker %s, which is gone: %s.",
                job.pk,
                job.worker_ids[-1] if job.worker_ids else "?",
                "marked failed" if len(job.worker_ids) >= MAX_TRIES else "queued again",
            )
    return requeued, failed


class Heartbeat:
    """Beats for one worker in a thread of its own (with its own database connection)."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "host": socket.gethostname(),
                "pid": os.getpid(),
            },
        )
        # Beats of workers gone a day ago tell nothing more.
        WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()

    def start(self) -> None:
        """Beat once and recover before the worker claims its first job."""
        self.beat()
        recover()
        self.thread.start()

    def loop(self) -> None:
        try:
            while not self.stopped.wait(BEAT_SECONDS):
                close_old_connections()
                try:
                    self.beat()
                    recover()
                except Exception:  # a busy or lost database: try again at the next beat
                    logger.exception("The worker's heartbeat could not be written")
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # stopping anyway
            logger.warning("Could not remove this worker's heartbeat")


def do_chores() -> int:
    """Work done ahead of requests: the clinic dashboards' standings whose day turned or whose
    facts changed are rebuilt (``clinic.standing``). Returns how many."""
    from backstretch.clinic.standing import refresh_every_clinic

    return refresh_every_clinic()


class Chores:
    """``do_chores`` at start and every ``CHORE_SECONDS``, in a thread of its own (with its own
    database connection) beside the jobs. Several workers may do them at once: a rebuild that
    read older facts never overwrites a newer one (``clinic.standing``)."""

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="chores", daemon=True)

    def loop(self) -> None:
        try:
            while True:
                close_old_connections()
                try:
                    done = do_chores()
                    if done:
                        logger.info("Rebuilt the dashboard standing of %d patients.", done)
                except Exception:  # a busy or lost database: try again next time
                    logger.exception("The worker's chores could not be done")
                if self.stopped.wait(CHORE_SECONDS):
                    return
        finally:
            connections.close_all()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
