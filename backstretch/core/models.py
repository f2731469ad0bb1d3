from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A running ``backstretch worker`` says it is alive every few seconds (``core.worker``).

    A job left RUNNING by a worker whose beat stopped (killed, machine gone) is queued again
    by the next worker that looks: see ``core.worker.recover``."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id}"
