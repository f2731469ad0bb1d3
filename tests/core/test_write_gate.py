"""The server's write gate (core/write_gate.py): its workers' SQLite writers take turns, and
nothing stuck or killed holds the others for good. The processes are real, forked as
granian forks the server's workers, and the transactions are the test database's own."""

import multiprocessing
import os
import signal
import time

import pytest
from django.db import connection, transaction

from backstretch.core import write_gate
from backstretch.core.write_gate import Gate

FORK = multiprocessing.get_context("fork")
DEADLINE = 60  # seconds: only a broken gate waits this long


def hold(gate: Gate, entered, release) -> None:  # in a child process
    gate.enter()
    entered.set()
    release.wait(DEADLINE)
    gate.leave()


def try_enter(gate: Gate, wait_limit: float, answer) -> None:  # in a child process
    started = time.monotonic()
    got = gate.enter(wait_limit=wait_limit)
    answer.send((got, time.monotonic() - started))
    if got:
        gate.leave()


def enter_from_another_process(gate: Gate, wait_limit: float) -> tuple[bool, float]:
    """Whether another process gets the gate within ``wait_limit``, and how long it waited."""
    ours, theirs = FORK.Pipe()
    child = FORK.Process(target=try_enter, args=(gate, wait_limit, theirs))
    child.start()
    assert ours.poll(DEADLINE), "the other process never answered"
    answer = ours.recv()
    child.join(DEADLINE)
    return answer


@pytest.fixture
def holder():
    """A process holding a new gate until told to let go (or killed)."""
    gate, entered, release = Gate(), FORK.Event(), FORK.Event()
    process = FORK.Process(target=hold, args=(gate, entered, release))
    process.start()
    assert entered.wait(DEADLINE)
    yield gate, process, release
    if process.is_alive():  # (waking a killed process's wait would wait for it for good)
        release.set()
        process.join(DEADLINE)


def test_a_writer_waits_its_turn_and_goes_in_as_soon_as_the_one_before_lets_go(holder):
    gate, _process, release = holder
    ours, theirs = FORK.Pipe()
    waiter = FORK.Process(target=try_enter, args=(gate, DEADLINE, theirs))
    waiter.start()
    assert not ours.poll(0.5), "went in while another process held the gate"
    release.set()
    assert ours.poll(DEADLINE)
    got, _waited = ours.recv()
    waiter.join(DEADLINE)
    assert got


def test_a_worker_killed_while_it_held_the_gate_does_not_hold_the_others(holder):
    gate, process, _release = holder
    os.kill(process.pid, signal.SIGKILL)
    process.join(DEADLINE)  # reaped, as granian reaps a dead worker
    got, waited = enter_from_another_process(gate, wait_limit=DEADLINE)
    assert got, "the gate was not taken over from the dead process"
    assert waited < 10
    # ... and the process that took it over gave it back as usual.
    assert enter_from_another_process(gate, wait_limit=DEADLINE)[0]


def test_behind_a_live_holder_that_does_not_let_go_a_writer_goes_on_without_the_gate(holder):
    gate, _process, _release = holder
    got, waited = enter_from_another_process(gate, wait_limit=0.6)
    assert not got
    assert 0.6 <= waited < 10


@pytest.fixture
def shared_gate(monkeypatch):
    """The gate as ``backstretch serve`` makes it, for this process and the ones it forks."""
    gate = Gate()
    monkeypatch.setattr(write_gate, "shared", gate)
    return gate


def others_get_in(gate: Gate) -> bool:
    return enter_from_another_process(gate, wait_limit=0.3)[0]


@pytest.mark.sqlite_only  # the gate is the embedded SQLite database's
@pytest.mark.django_db(transaction=True)
def test_a_transaction_holds_the_gate_from_its_start_to_its_commit(shared_gate):
    with transaction.atomic():
        assert not others_get_in(shared_gate)
        with transaction.atomic():  # a savepoint inside: still the same turn
            assert not others_get_in(shared_gate)
        assert not others_get_in(shared_gate)
    assert others_get_in(shared_gate)
    assert not connection.in_atomic_block


@pytest.mark.sqlite_only  # the gate is the embedded SQLite database's
@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_fails_gives_the_gate_back_as_it_rolls_back(shared_gate):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert not others_get_in(shared_gate)
        _ = 1 / 0
    assert others_get_in(shared_gate)
    with transaction.atomic():  # and the next transaction takes it again
        assert not others_get_in(shared_gate)
    assert others_get_in(shared_gate)
