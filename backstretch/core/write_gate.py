"""One SQLite write transaction at a time across a server's worker processes, in turn.

SQLite lets one writer in at a time. A writer that finds the lock taken sleeps and tries
again, longer each time (1, 2, 5, 10 … up to 100 ms between tries), so under many writers at
once the CPU idles while they sleep, and an unlucky writer waits far longer than its turn:
the tail of ``POST /api/v1/me/sessions`` at concurrency 32 (bench/api_load.py). The gate is a
semaphore that ``backstretch serve`` makes before it forks its workers (``share``): a writer
waits on it without polling and is woken as soon as the one before it has committed. SQLite's
own lock still decides what is correct, and every commit is still synced to disk before the
answer goes out; the gate only orders the queue. The database backend takes it as a
transaction begins and gives it back as that transaction ends
(``backstretch.core.gated_sqlite3``).

It never holds writers for good:

- a worker killed while it held the gate (``kill -9``, out of memory) leaves it taken; a
  waiter that finds that process gone takes the gate over;
- a holder that is alive but slow: after ``WAIT_LIMIT`` a waiter goes on without the gate,
  and SQLite's own busy timeout applies as it did before the gate.

This module imports no Django: ``serve`` makes the gate before anything else forks.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from .processes import alive

WAIT_LIMIT = 5.0  # seconds waiting for the gate before going on without it
CHECK_EVERY = 0.25  # seconds between looks at whether the holder's process still lives


class Gate:
    """A semaphore shared by forked processes, with the id of the process holding it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._semaphore = context.Lock()
        # The holding process's id (0: none, or changing hands), one machine word read and
        # written whole. Without a lock of its own: a process killed while holding such a lock
        # would leave every later reader waiting for good.
        self._holder = context.Value("q", 0, lock=False)
        # Taken, with a time limit, only to take over from a dead holder, so that two waiters
        # never both do.
        self._takeover = context.Lock()

    def enter(self, wait_limit: float = WAIT_LIMIT) -> bool:
        """Wait for the gate: True once this thread holds it (call ``leave`` after), False
        after ``wait_limit`` seconds behind a live holder (go on without it)."""
        deadline = time.monotonic() + wait_limit
        while True:
            if self._semaphore.acquire(timeout=CHECK_EVERY):
                self._holder.value = os.getpid()
                return True
            holder = self._holder.value
            if holder and not alive(holder) and self._takeover.acquire(timeout=CHECK_EVERY):
                try:
                    if self._holder.value == holder:  # nobody else took it over first
                        self._holder.value = os.getpid()
                        return True
                finally:
                    self._takeover.release()
            if time.monotonic() >= deadline:
                return False

    def leave(self) -> None:
        self._holder.value = 0
        self._semaphore.release()


# The server's gate, made by ``share`` in the server's master before its workers fork;
# None elsewhere (tests, commands, the development server), where SQLite alone decides.
shared: Gate | None = None


def share() -> Gate | None:
    """Make the gate the processes forked from now on share (None where this platform does
    not fork: there each worker starts afresh, and SQLite alone decides)."""
    global shared
    if "fork" in multiprocessing.get_all_start_methods():
        shared = Gate()
    return shared
