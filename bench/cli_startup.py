"""Start-up time of `backstretch --help`: what every CLI call and cron job pays first."""

from __future__ import annotations

import subprocess
import tempfile
import time

from bench.support import BIN, app_env, summary


def run(quick: bool = False) -> dict[str, float]:
    runs = 5 if quick else 15
    samples = []
    with tempfile.TemporaryDirectory() as data_dir:
        env = app_env(data_dir)
        subprocess.run([str(BIN), "--help"], env=env, check=True, capture_output=True)  # warm
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(BIN), "--help"], env=env, check=True, capture_output=True)
            samples.append((time.perf_counter() - started) * 1000)
    result = summary(samples)
    print(f"backstretch --help: median {result['median_ms']:.0f} ms over {runs} runs")
    return result
