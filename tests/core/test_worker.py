"""A job left RUNNING by a worker that died is queued again by the next worker that looks
(backstretch/core/worker.py); one that killed too many workers is failed, not run for ever."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backstretch.core import worker
from backstretch.core.models import WorkerBeat
from tests.core.jobs import add
from tests.queue import run_queue

pytestmark = pytest.mark.django_db(transaction=True)


def claimed_by(worker_id: str, tries: int = 1) -> DBTaskResult:
    result = add.enqueue(2, 3)
    job = DBTaskResult.objects.get(pk=result.id)
    job.worker_ids = [f"earlier-{n}" for n in range(tries - 1)]
    job.save()
    job.claim(worker_id)
    return job


def beat(worker_id: str, host: str, pid: int, seconds_ago: int = 0) -> None:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=at, seen_at=at)


def status_of(job: DBTaskResult) -> str:
    job.refresh_from_db()
    return job.status


def test_a_job_whose_worker_stopped_beating_runs_again_and_completes():
    job = claimed_by("lost-worker")
    beat("lost-worker", "another-machine", 1234, seconds_ago=worker.LEASE_SECONDS + 5)
    assert worker.recover() == (1, 0)
    assert status_of(job) == TaskResultStatus.READY
    run_queue("test-runner")
    assert status_of(job) == TaskResultStatus.SUCCESSFUL
    assert add.get_result(str(job.pk)).return_value == 5


def test_a_job_of_a_worker_beating_on_another_machine_is_left_alone():
    job = claimed_by("busy-worker")
    beat("busy-worker", "another-machine", 1234)
    assert worker.recover() == (0, 0)
    assert status_of(job) == TaskResultStatus.RUNNING


def test_a_worker_process_gone_on_this_machine_is_seen_at_once():
    import socket

    gone_pid = 2**22 + 17  # above Linux's pid_max default: no such process
    job = claimed_by("killed-worker")
    beat("killed-worker", socket.gethostname(), gone_pid)
    assert worker.recover() == (1, 0)
    assert status_of(job) == TaskResultStatus.READY


def test_a_job_that_lost_its_worker_too_often_is_failed():
    job = claimed_by("third-lost-worker", tries=worker.MAX_TRIES)
    assert worker.recover() == (0, 1)
    assert status_of(job) == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert "stopped while running it" in job.traceback


def test_a_worker_beats_while_it_runs_and_removes_its_beat_when_it_stops():
    heartbeat = worker.Heartbeat("me-1")
    heartbeat.start()
    try:
        assert worker.running_workers() == 1
    finally:
        heartbeat.stop()
        heartbeat.thread.join(timeout=30)
    assert worker.running_workers() == 0
