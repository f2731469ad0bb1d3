from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def default_workers() -> int:
    configured = os.environ.get("BACKSTRETCH_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(2, (os.cpu_count() or 1) * 2)


class Command(BaseCommand):
    help = "Apply migrations, sync the exercise library, collect static files and start the server."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535 (got {port})")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("library", "sync")
        call_command("collectstatic", interactive=False, verbosity=0)
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"Backstretch is running: open http://{shown_host}:{port}/")
            + f"\n  data directory: {settings.DATA_DIR}"
            + f"\n  database: {connection.vendor}"
            + "\n  stop with Ctrl+C"
        )
        sys.stdout.flush()
        # The production server replaces this process, so signals reach it directly.
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "backstretch.wsgi:application",
            "--bind",
            f"{shown_host}:{port}",
            "--workers",
            str(options["workers"]),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--access-logfile",
            "-" if os.environ.get("BACKSTRETCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ]
        os.execv(sys.executable, argv)
