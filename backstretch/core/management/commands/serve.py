from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backstretch.links import mismatch_warning, served_base_url


def configured_count(variable: str, default: int) -> int:
    """A positive whole number from the environment, else ``default``."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"{variable} must be a whole number of at least 1 (got {value!r})")
    return int(value)


def default_workers() -> int:
    return configured_count("BACKSTRETCH_WORKERS", max(2, os.cpu_count() or 1))


def default_threads() -> int:
    return configured_count("BACKSTRETCH_THREADS", 2)


class Command(BaseCommand):
    help = "Apply migrations, sync the exercise library, collect static files and start the server."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535 (got {port})")
        workers, threads = options["workers"], options["threads"]
        workers = default_workers() if workers is None else workers
        threads = default_threads() if threads is None else threads
        for name, count in (("--workers", workers), ("--threads", threads)):
            if count < 1:
                raise CommandError(f"{name} must be at least 1 (got {count})")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("library", "sync")
        call_command("collectstatic", interactive=False, verbosity=0)
        shown_host = f"[{host}]" if ":" in host else host
        configured = settings.BACKSTRETCH_BASE_URL.strip()
        served = served_base_url(host, port)
        if configured:
            links = f"{configured} (BACKSTRETCH_BASE_URL)"
        elif served:
            # The workers' settings read it: links name the port they really answer on.
            os.environ["BACKSTRETCH_BASE_URL"] = served
            links = f"{served} (the address served; set BACKSTRETCH_BASE_URL for a public one)"
        else:
            links = "the address each request came to (set BACKSTRETCH_BASE_URL for e-mails)"
        self.stdout.write(
            self.style.SUCCESS(f"Backstretch is running: open http://{shown_host}:{port}/")
            + f"\n  links in e-mails, calendars and invitations: {links}"
            + f"\n  data directory: {settings.DATA_DIR}"
            + f"\n  database: {connection.vendor}"
            + f"\n  {workers} worker process{'es' if workers > 1 else ''},"
            + f" {threads} thread{'s' if threads > 1 else ''} each"
            + "\n  stop with Ctrl+C"
        )
        warning = mismatch_warning(configured, host, port) if configured else None
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        sys.stdout.flush()
        sys.stderr.flush()
        # granian (HTTP in Rust, Django in worker processes). One or two threads per process
        # keep Python's GIL uncontended: measured in bench/api_load.py, this served today's
        # routine faster and with a shorter tail than gunicorn's threads.
        # The server replaces this process, so signals reach it directly.
        argv = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--respawn-failed-workers",
            "--no-ws",
            "--access-log" if os.environ.get("BACKSTRETCH_ACCESS_LOG") else "--no-access-log",
            "--log-level",
            "warning",
            "backstretch.wsgi:application",
        ]
        os.execv(sys.executable, argv)
