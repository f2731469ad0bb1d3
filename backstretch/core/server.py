"""The production server that ``backstretch serve`` becomes: granian, and the port kept ours.

``serve`` checks and prepares everything (settings, database, migrations, static files), claims
the port (``claim_port``), loads the application once (Django, its URLs, the catalogues of
translations) and then runs granian in the same process (``run``): the worker processes are
forked from it with the application already loaded, so a worker answers as soon as it exists,
and the pages of memory the workers only read stay shared with the master instead of being
loaded once per worker (see docs/operations.md, "Workers and threads"). The server is the
process that was started, so signals reach it directly. This module imports no Django: it
runs granian, keeps the port's lock open, and prints the banner once the port answers.

Why a lock as well as a test bind: granian's workers bind with SO_REUSEPORT, which lets a
second server of the same user bind the same port, and the kernel then splits connections
between the two (a patient's session could land in another instance's database). A test bind
without SO_REUSEPORT fails while anyone listens; the lock, held for the server's life, stops
two servers that start at the same moment from both passing that test.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WILDCARD_TO_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1"}
ASK_AGAIN_EVERY = 0.5  # seconds between asks to a worker that has not stopped yet
STOP_GRACE = 30.0  # seconds a worker has to finish what it answers before it is killed


class PortTaken(Exception):
    """The port cannot be ours; the message says why and what to do."""


def lock_path(port: int) -> Path:
    return Path(tempfile.gettempdir()) / f"backstretch-port-{port}.lock"


def _open_lock(path: Path) -> int | None:
    for flags in (os.O_RDONLY, os.O_RDONLY | os.O_CREAT):
        try:
            return os.open(path, flags, 0o644)
        except FileNotFoundError:
            continue
        except OSError:  # another user's file we may not open: the test bind still guards
            return None
    return None


def claim_port(host: str, port: int) -> int | None:
    """Make sure nothing listens on ``host:port`` and keep it for this server.

    Returns the descriptor of the port's lock (to keep open for the server's life, across
    ``exec``), or None where no lock file could be opened. Raises PortTaken.
    """
    fd = _open_lock(lock_path(port))
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PortTaken(
                f"port {port} is already used by another Backstretch server on this machine: "
                f"stop it, or choose another port with --port (or PORT=)"
            ) from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR only: a closed connection's TIME_WAIT does not count as taken, but any
        # listening socket, SO_REUSEPORT or not, does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
            probe.listen(1)
        except OSError as error:
            if fd is not None:
                os.close(fd)
            if error.errno == errno.EADDRINUSE:
                raise PortTaken(
                    f"port {port} is already in use by another program: stop it, or choose "
                    f"another port with --port (or PORT=)"
                ) from None
            if error.errno == errno.EACCES:
                raise PortTaken(
                    f"this user may not listen on port {port} (ports below 1024 need special "
                    f"rights): choose another with --port (or PORT=), e.g. 8000"
                ) from None
            if error.errno == errno.EADDRNOTAVAIL:
                raise PortTaken(
                    f"{host} is not an address of this machine: choose one with --host "
                    f"(or HOST=), e.g. 127.0.0.1, or 0.0.0.0 for every address"
                ) from None
            raise PortTaken(f"cannot listen on {host} port {port}: {error.strerror}") from None
    if fd is not None:
        os.set_inheritable(fd, True)
    return fd


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def announce_when_listening(host: str, port: int, banner: str) -> None:
    """Print the banner once a connection to the port succeeds (granian's workers bind
    after its main process starts them)."""
    target = WILDCARD_TO_LOOPBACK.get(host, host)

    def wait() -> None:
        while not answers(target, port):
            time.sleep(0.1)  # poll: the workers are still starting
        sys.stdout.write(banner + "\n")
        sys.stdout.flush()

    threading.Thread(target=wait, name="announce", daemon=True).start()


def forking() -> bool:
    """Make granian start its workers with fork, so they inherit the loaded application.

    True where this platform forks (Linux, the BSDs, macOS); elsewhere each worker loads the
    application by name.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    multiprocessing.set_start_method("fork", force=True)
    return True


def stop_workers(workers: list[Any], grace: float = STOP_GRACE) -> None:
    """Ask every worker to stop, and ask again, until each has; kill one still running after
    ``grace`` seconds.

    A worker forked a moment before the stop came has not yet set up its own handling of the
    signal (it still has the copy of the master's, which only marks the master's flag, in the
    worker's memory), and would wait for a stop that never comes. Asking again costs a worker
    that heard the first nothing: it is already finishing what it answers, and stops once it
    has. One stuck in a request that never ends would hold the server up for good."""
    deadline = time.monotonic() + grace
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(ASK_AGAIN_EVERY)
        while worker.is_alive():
            if time.monotonic() >= deadline:
                sys.stderr.write(f"A worker did not stop within {grace:g} s: killed.\n")
                worker.kill()
                worker.join()
                break
            worker.terminate()
            worker.join(ASK_AGAIN_EVERY)


def run(config: dict[str, Any], application: Callable[..., Any] | None) -> None:
    """Serve until stopped. ``application``: the WSGI application, loaded by the caller, that
    forked workers share; None to have each worker import ``backstretch.wsgi`` itself."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    # granian (HTTP in Rust, Django in worker processes). One or two threads per process
    # keep Python's GIL uncontended: measured in bench/api_load.py, this served today's
    # routine faster and with a shorter tail than gunicorn's threads.
    class Server(Granian):  # type: ignore[misc,valid-type]
        def startup(self, spawn_target: Any, target_loader: Any) -> None:
            super().startup(spawn_target, target_loader)
            # Only now, with the workers forked: no thread of ours is copied into them.
            announce_when_listening(config["host"], config["port"], config["banner"])

        def _stop_workers(self) -> None:  # granian's own asks once, then waits for good
            stop_workers(self.wrks)
            self.wrks.clear()

    server = Server(
        "backstretch.wsgi:application",
        address=config["host"],
        port=config["port"],
        interface=Interfaces.WSGI,
        workers=config["workers"],
        blocking_threads=config["threads"],
        respawn_failed_workers=True,
        websockets=False,
        log_access=config["access_log"],
        log_level=LogLevels.warning,
    )
    loader = None
    if application is not None and forking():

        def loader(_target: str) -> Callable[..., Any]:
            return application

    # What the application made so far lives as long as the server: out of the collector's
    # way for good (a collection writes to every object it visits, which would copy the
    # pages the workers share with this process into each of them), and the collector back
    # on for what requests make (``backstretch serve`` starts with it off).
    gc.freeze()
    gc.enable()
    try:
        server.serve(target_loader=loader)
    except OSError as error:  # the port was taken between serve's check and now
        sys.stderr.write(
            f"Error: cannot listen on port {config['port']}: {error.strerror or error}. "
            "Choose another port with --port (or PORT=).\n"
        )
        sys.exit(1)
