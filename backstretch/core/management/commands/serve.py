from __future__ import annotations

import fcntl
import os
import socket
import sys
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from backstretch.core import write_gate
from backstretch.core.server import PortTaken, claim_port, run
from backstretch.core.setup import prepare_apart
from backstretch.core.worker import running_workers
from backstretch.links import mismatch_warning, served_base_url

# Any fixed number: every server of one site asks PostgreSQL for this advisory lock.
SETUP_LOCK_KEY = 0x62737472  # "bstr"


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


def port_from(value: str | int, source: str) -> int:
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise CommandError(f"{source} must be a port number between 1 and 65535 (got {text!r})")
    return int(text)


def address_of(host: str, source: str) -> str:
    """An address to listen on. A host name (``localhost``) is resolved to its first address,
    IPv4 first, since the server listens on an address, not a name."""
    host = host.strip().removeprefix("[").removesuffix("]")
    if not host:
        raise CommandError(f"{source} is empty: give an address such as 127.0.0.1 or 0.0.0.0")
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        return host
    except OSError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise CommandError(
            f"{source} {host!r} is neither an address nor a name this machine can look up: "
            "give an address such as 127.0.0.1, or 0.0.0.0 for every address"
        ) from None
    addresses = sorted({str(info[4][0]) for info in found}, key=lambda a: (":" in a, a))
    return addresses[0]


@contextmanager
def setup_lock() -> Iterator[None]:
    """One server at a time migrates and prepares a site; the others wait, then find it done.

    A file lock in the data directory covers servers sharing it (the SQLite database, the
    collected static files); on PostgreSQL an advisory lock, on a connection of its own,
    covers servers on other machines too.
    """
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.DATA_DIR / "setup.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if connection.vendor != "postgresql":
            yield
            return
        lock_connection = connections.create_connection("default")
        try:
            with lock_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [SETUP_LOCK_KEY])
            yield
        finally:
            lock_connection.close()  # ends the session: PostgreSQL releases the lock


def database_is_reachable() -> None:
    from django.db.utils import Error

    try:
        connection.ensure_connection()
    except Error as error:
        where = settings.DATABASES["default"].get("HOST") or settings.DATABASES["default"]["NAME"]
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CommandError(
            f"cannot reach the database ({where}): {reason}. Check that it is running and "
            "that DATABASE_URL is right."
        ) from None


class Command(BaseCommand):
    help = (
        "Apply migrations, sync the exercise library, collect static files (each only when "
        "something changed) and start the "
        "production server. It refuses a port that another program (another Backstretch "
        "included) listens on."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        # Defaults are read in handle(), so that a bad HOST or PORT is reported there in one
        # line (and --help works whatever they hold).
        parser.add_argument(
            "--host",
            default=None,
            help="address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for every "
            "address); a name such as localhost is looked up and its first address used",
        )
        parser.add_argument(
            "--port",
            default=None,
            help="port to listen on (default: PORT, else 8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="server worker processes (default: BACKSTRETCH_WORKERS, else one per CPU "
            "core, at least 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per worker process (default: BACKSTRETCH_THREADS, else 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["host"] is not None:
            host = address_of(options["host"], "--host")
        else:
            host = address_of(os.environ.get("HOST") or "127.0.0.1", "HOST")
        if options["port"] is not None:
            port = port_from(options["port"], "--port")
        else:
            port = port_from(os.environ.get("PORT") or "8000", "PORT")
        workers, threads = options["workers"], options["threads"]
        workers = default_workers() if workers is None else workers
        threads = default_threads() if threads is None else threads
        for name, count in (("--workers", workers), ("--threads", threads)):
            if count < 1:
                raise CommandError(f"{name} must be at least 1 (got {count})")
        try:
            # Held from here until the server stops (the descriptor survives exec below).
            claim_port(host, port)
        except PortTaken as taken:
            raise CommandError(str(taken)) from None
        database_is_reachable()
        with setup_lock():
            prepared = prepare_apart()
        vendor = connection.vendor
        workers_now = running_workers()
        connections.close_all()
        shown_host = f"[{host}]" if ":" in host else host
        configured = settings.BACKSTRETCH_BASE_URL.strip()
        served = served_base_url(host, port)
        if configured:
            links = f"{configured} (BACKSTRETCH_BASE_URL)"
        elif served:
            # Links name the port the server really answers on.
            serve_as_public_address(served)
            links = f"{served} (the address served; set BACKSTRETCH_BASE_URL for a public one)"
        else:
            links = "the address each request came to (set BACKSTRETCH_BASE_URL for e-mails)"
        banner = (
            self.style.SUCCESS(f"Backstretch is running: open http://{shown_host}:{port}/")
            + f"\n  links in e-mails, calendars and invitations: {links}"
            + f"\n  data directory: {settings.DATA_DIR} ({prepared.describe()})"
            + f"\n  database: {vendor}"
            + f"\n  {workers} worker process{'es' if workers > 1 else ''},"
            + f" {threads} thread{'s' if threads > 1 else ''} each"
            + "\n  background work (clinic exports): needs `backstretch worker` running beside"
            + f" this server ({workers_now} running now"
            + ("" if workers_now else "; exports wait in the queue until one starts")
            + ")"
            + "\n  stop with Ctrl+C"
        )
        warning = mismatch_warning(configured, host, port) if configured else None
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        sys.stdout.flush()
        sys.stderr.flush()
        config = {
            "host": host,
            "port": port,
            "workers": workers,
            "threads": threads,
            "access_log": bool(os.environ.get("BACKSTRETCH_ACCESS_LOG")),
            "banner": banner,
        }
        # This process becomes the server's master (signals reach it directly); its workers
        # are forked with the application loaded here. It prints the banner once the port
        # answers (backstretch/core/server.py).
        application = load_application()
        connections.close_all()  # no connection is shared with the workers
        if connection.vendor == "sqlite":
            write_gate.share()  # the workers' writers take turns (core/write_gate.py)
        run(config, application)


def serve_as_public_address(served: str) -> None:
    """Make the address served the site's public one, as BACKSTRETCH_BASE_URL would (for this
    process, the workers it forks and any program they start)."""
    from backstretch.settings import trust_public_address

    os.environ["BACKSTRETCH_BASE_URL"] = served
    settings.BACKSTRETCH_BASE_URL = served
    hosts, origins = list(settings.ALLOWED_HOSTS), list(settings.CSRF_TRUSTED_ORIGINS)
    trust_public_address(served, hosts, origins)
    settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS = hosts, origins


def load_application() -> Any:
    """The WSGI application with what every request needs loaded: its URLs (and with them
    every view) and the catalogues of the languages offered. Loaded once, here, the workers
    share it instead of each loading its own on its first request."""
    from django.urls import get_resolver
    from django.utils import translation

    from backstretch.wsgi import application

    get_resolver().url_patterns  # noqa: B018 (reading it imports every URLconf and view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Backstretch")
    return application
