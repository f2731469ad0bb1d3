"""Stopping the server stops every worker, even one forked a moment before the stop came, and
one stuck for good after a grace time.

Such a worker still carries the master's signal handler (copied by fork), which only marks a
flag in the worker's copy of the master; it sets up its own handling a little later. Told to
stop once, it would wait for good, and so would ``backstretch serve`` (seen in CI: serve asked
to stop right after it said it was running, and never exited). The workers here are real
forked processes that behave the same way; granian's own are too slow to start to catch in
that window on purpose."""

import multiprocessing
import signal
import threading

from backstretch.core.server import STOP_GRACE, stop_workers

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


def stop_within_deadline(workers, grace: float = STOP_GRACE) -> None:
    stopper = threading.Thread(target=stop_workers, args=(workers, grace), daemon=True)
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


def stuck_worker(ready) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as one stuck in a request that never ends
    ready.set()
    while True:
        signal.pause()


def test_a_worker_that_never_stops_is_killed_after_the_grace_time(capfd):
    stuck, prompt = started(stuck_worker), started(prompt_worker)
    stop_within_deadline([stuck, prompt], grace=1.0)
    assert stuck.exitcode == -signal.SIGKILL
    assert prompt.exitcode == -signal.SIGTERM
    assert "A worker did not stop within 1 s: killed." in capfd.readouterr().err
