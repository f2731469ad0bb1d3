"""The server's layout of worker processes × threads each, compared on throughput AND memory.

For each layout, the whole ``api-load`` benchmark (a fresh server, wrk at concurrency 1 and 32
on ``GET /api/v1/me/today`` and ``POST /api/v1/me/sessions``) with BACKSTRETCH_WORKERS and
BACKSTRETCH_THREADS set; ``runs`` times each (3, or 1 with --quick), rounds interleaved so that
a busy spell of the machine does not fall on one layout only; medians. Reported per layout: today
at c=32 (requests/s, p99, server CPU per request), sessions at c=32 (requests/s, p99), and the
server's memory once started and after the load (PSS: master and workers, shared pages counted
once; RSS for comparison). The default layout (``serve``'s) should meet api-load's targets and
the memory target (PSS after load ≤ 140 MiB); the table is in docs/operations.md.
"""

from __future__ import annotations

import statistics
from typing import Any

from bench import api_load

LAYOUTS = [(1, 2), (1, 4), (2, 1), (2, 2)]


def median(rows: list[dict[str, Any]], *path: str) -> float:
    values = []
    for row in rows:
        value: Any = row
        for key in path:
            value = value[key]
        values.append(float(value))
    return round(statistics.median(values), 1)


def run(quick: bool = False) -> dict[str, Any]:
    runs = 1 if quick else 3
    measured: dict[str, list[dict[str, Any]]] = {f"{w}x{t}": [] for w, t in LAYOUTS}
    for round_ in range(runs):
        for workers, threads in LAYOUTS:
            print(f"-- {workers} worker(s) × {threads} thread(s), run {round_ + 1}/{runs}")
            measured[f"{workers}x{threads}"].append(
                api_load.load(quick=quick, workers=workers, threads=threads)
            )
    table: dict[str, Any] = {}
    print(
        "layout | today c=32 req/s | p99 ms | CPU ms/req | sessions c=32 /s | p99 ms | "
        "PSS started MiB | PSS after load MiB | RSS after load MiB | targets"
    )
    for name, rows in measured.items():
        summary = {
            "today_rps": median(rows, "today_c32", "requests_per_s"),
            "today_p99_ms": median(rows, "today_c32", "p99_ms"),
            "today_cpu_ms": median(rows, "today_c32", "cpu_ms_per_request"),
            "sessions_rps": median(rows, "post_c32", "requests_per_s"),
            "sessions_p99_ms": median(rows, "post_c32", "p99_ms"),
            "pss_started_mib": median(rows, "memory_started", "pss_mib"),
            "pss_loaded_mib": median(rows, "memory_loaded", "pss_mib"),
            "rss_loaded_mib": median(rows, "memory_loaded", "rss_mib"),
            "runs": len(rows),
        }
        summary["all_targets_met"] = (
            summary["today_rps"] >= 800
            and summary["today_p99_ms"] <= 60
            and summary["sessions_rps"] >= 300
            and summary["pss_loaded_mib"] <= api_load.MEMORY_TARGET_MIB
        )
        table[name] = summary
        print(
            f"{name} | {summary['today_rps']} | {summary['today_p99_ms']} | "
            f"{summary['today_cpu_ms']} | {summary['sessions_rps']} | "
            f"{summary['sessions_p99_ms']} | {summary['pss_started_mib']} | "
            f"{summary['pss_loaded_mib']} | {summary['rss_loaded_mib']} | "
            f"{'met' if summary['all_targets_met'] else 'NOT met'}"
        )
    return table
