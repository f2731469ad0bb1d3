"""Stopping the server stops every worker, even one forked a moment before the stop came.

Such a worker still carries the master's signal handler (copied by fork), which only marks a
flag in the worker's copy of the master; it sets up its own handling a little later. Told to
stop once, it would wait for good, and so would ``backstretch serve`` (seen in CI: serve asked
to stop right after it said it was running, and never exited). The workers here are real
forked processes that behave the same way; granian's own are too slow to start to catch in
that window on purpose."""

import multiprocessing
import signal
import threading

from backstretch.core.server import stop_workers

CONTEXT = multiprocessing.get_context("fork")
DEADLINE = 60  # seconds: far longer than any stop takes, even on a loaded machine


def late_worker(ready) -> None:
    missed = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: missed.set())  # the master's copy: no effect
    ready.set()
    missed.wait()  # the first ask came before the worker's own handling was ready
    signal.signal(signal.SIGTERM, lambda *_: exit(0))  # its own handling, set up late
    while True:
        signal.pause()


def prompt_worker(ready) -> None:
    ready.set()
    while True:
        signal.pause()  # the default handling of SIGTERM ends the process


def started(target):
    ready = CONTEXT.Event()
    process = CONTEXT.Process(target=target, args=(ready,), daemon=True)
    process.start()
    assert ready.wait(DEADLINE)
    return process


def stop_within_deadline(workers) -> None:
    stopper = threading.Thread(target=stop_workers, args=(workers,), daemon=True)
    stopper.start()
    stopper.join(DEADLINE)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    assert not stopper.is_alive(), "the server would never have stopped"


def test_a_worker_that_missed_the_first_ask_is_asked_again_and_stops():
    late = started(late_worker)
    stop_within_deadline([late])
    assert late.exitcode == 0


def test_every_worker_stops_whether_it_heard_the_first_ask_or_not():
    workers = [started(prompt_worker), started(late_worker), started(prompt_worker)]
    stop_within_deadline(workers)
    assert [worker.exitcode for worker in workers] == [-signal.SIGTERM, 0, -signal.SIGTERM]
