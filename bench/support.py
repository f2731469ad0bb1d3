"""Shared pieces: a real `backstretch serve` on a throwaway data dir, and summary statistics."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BIN = Path(sys.executable).parent / "backstretch"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def emptied_redis(url: str) -> bool:
    """Whether a Redis server answers at ``url``; if so, that database is emptied (a bench's
    own: ids repeat between runs, and cached rows are keyed by them)."""
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=2) as client:
            client.flushdb()
        return True
    except (redis.RedisError, OSError):
        return False


def app_env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("BACKSTRETCH_DEBUG", None)
    env.pop("DATABASE_URL", None)
    env["BACKSTRETCH_DATA_DIR"] = data_dir
    return env


@contextlib.contextmanager
def served(workers: int = 2, setup: list[list[str]] | None = None) -> Iterator[str]:
    """Start `backstretch serve` (production settings, SQLite) and yield its base URL."""
    with serving(workers, setup) as (base, _pid):
        yield base


@contextlib.contextmanager
def serving(
    workers: int = 2, setup: list[list[str]] | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """:func:`served`, also yielding the server's process id (its master: the workers are
    its children), for benchmarks that read the server's CPU time from /proc. ``extra_env``
    is added to the set-up commands' and the server's environment."""
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-") as data_dir:
        env = app_env(data_dir)
        env["BACKSTRETCH_WORKERS"] = str(workers)
        env.update(extra_env or {})
        for command in setup or []:
            subprocess.run([str(BIN), *command], env=env, check=True, capture_output=True)
        port = free_port()
        process = subprocess.Popen(
            [str(BIN), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("backstretch serve did not start") from None
                    time.sleep(0.2)
            yield base, process.pid
        finally:
            process.terminate()
            process.wait(timeout=15)


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }
