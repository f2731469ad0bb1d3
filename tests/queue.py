"""Running the task queue inside a test: one pass of django-tasks-db's own worker over every
job queued so far, in this process (shared by the worker and export tests)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker


def run_queue(worker_id: str = "test-worker") -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
