from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from backstretch.core.management.commands.serve import database_is_reachable
from backstretch.core.worker import LEASE_SECONDS, Chores, Heartbeat, do_chores, new_worker_id


class Command(DbWorkerCommand):
    help = (
        "Run background work (clinic exports) queued in the database, one job at a time, until "
        "stopped (Ctrl+C lets the current job finish; twice stops at once), and every minute "
        "bring the clinic dashboards' order up to date. Run one or more beside the server; a "
        "job whose worker dies is queued again (docs/operations.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait between looks at an empty queue (default: 1)",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="run every job waiting now, then stop (for cron or a one-off)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if not interval >= 0:
            from django.core.management.base import CommandError

            raise CommandError(f"--interval must be 0 or more seconds (got {interval})")
        database_is_reachable()
        self.configure_logging(options["verbosity"])
        worker_id = new_worker_id()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        chores = Chores()
        if options["once"]:
            do_chores()
        else:
            chores.start()
        self.stdout.write(
            f"Backstretch worker {worker_id} is running jobs queued in the {connection.vendor} "
            f"database. Stop with Ctrl+C. A job of a worker gone for {LEASE_SECONDS} s (or "
            "whose process on this machine has ended) is queued again.",
        )
        self.stdout.flush()
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=options["once"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            chores.stop()
            heartbeat.stop()
