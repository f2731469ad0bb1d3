"""Start-up of `backstretch serve` on an up-to-date data directory: launch to first answer.

The first start migrates, syncs the library and collects static files; the timed restarts
find all of that done (serve checks cheaply and skips it), so what is left is Django's
set-up and the loading of the application in the serve command, which then forks its workers.
Besides the wall time, the CPU time the server's processes (master and workers, from /proc)
had used by the first answer: on a shared machine the wall time varies with what else runs,
the CPU time much less. Target (issue 17): median wall time at most 1.2 s.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
import urllib.request

from bench.api_load import cpu_seconds, server_pids
from bench.support import BIN, app_env, free_port, summary

TARGET_MS = 1200


def time_to_first_answer(env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from launch to the first answer, and of CPU used by the server till then."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                wall = (time.perf_counter() - started) * 1000
                return wall, 1000 * cpu_seconds(server_pids(process.pid))
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("backstretch serve did not start") from None
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=30)


def run(quick: bool = False) -> dict[str, float]:
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-") as data_dir:
        env = app_env(data_dir)
        first, _cpu = time_to_first_answer(env)
        samples = [time_to_first_answer(env) for _ in range(runs)]
    result = {"first_start_ms": round(first, 1), **summary([wall for wall, _cpu in samples])}
    result["cpu_median_ms"] = round(statistics.median(cpu for _wall, cpu in samples), 1)
    met = "met" if result["median_ms"] <= TARGET_MS else "NOT met"
    print(
        f"serve, first start (migrate, library, static files): {first:.0f} ms; "
        f"restart on an up-to-date data dir: median {result['median_ms']:.0f} ms over {runs} "
        f"(target <= {TARGET_MS} ms: {met}), the server's CPU by then: median "
        f"{result['cpu_median_ms']:.0f} ms"
    )
    return result
