"""A clinic export (bulk FHIR NDJSON + CSV summary in a zip) for a clinic of 50 and of 200
patients with a year of history each: wall time and the peak memory it adds.

The clinics are made as the dashboard bench makes its own (bench/clinic_dashboard.py: a year of
sessions, some "this hurts", a screen and 50 messages per patient). Each run is a fresh
`backstretch shell` process on a throwaway data dir (production settings, SQLite): after Django
is set up and a first small export has warmed it (translations, templates), it notes its peak
resident memory (ru_maxrss), exports the clinic into a file, and reports the time and how much
the peak grew. Streaming means that growth stays about the same at 50 and at 200 patients.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import time

from bench.clinic_dashboard import populate_script
from bench.support import BIN, app_env

SIZES = (50, 200)
DAYS, MESSAGES = 365, 50

MEASURE = """
import json, resource, time
from django.utils import timezone
from backstretch.accounts.models import User
from backstretch.clinic.models import Clinic
from backstretch.records.bulk import write_export
clinic = Clinic.objects.get(name="Bench clinic")
warm = Clinic.objects.create(name="Warm-up")
with open("warm-up.zip", "wb") as out:
    write_export(warm, "http://127.0.0.1:8000", out, timezone.now())
warm.delete()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
with open("export.zip", "wb") as out:
    patients = write_export(clinic, "http://127.0.0.1:8000", out, timezone.now())
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import os
print(json.dumps({"patients": patients, "seconds": seconds, "cpu_seconds": cpu_seconds,
                  "baseline_mb": before / 1024,
                  "growth_mb": (after - before) / 1024, "peak_mb": after / 1024,
                  "zip_mb": os.path.getsize("export.zip") / 1024 / 1024}))
"""


def one_size(patients: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="backstretch-bench-") as data_dir:
        env = app_env(data_dir)
        for command in (
            ["migrate", "-v0"],
            ["shell", "-c", populate_script(patients, DAYS, MESSAGES)],
        ):
            subprocess.run([str(BIN), *command], env=env, check=True, capture_output=True)
        samples = []
        for _ in range(runs):
            done = subprocess.run(
                [str(BIN), "shell", "-c", MEASURE],
                env=env,
                cwd=data_dir,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"the export failed:\n{done.stderr[-2000:]}")
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    result = {
        "patients": samples[0]["patients"],
        "runs": runs,
        "median_s": round(statistics.median(s["seconds"] for s in samples), 2),
        # CPU time of the exporting process: on a shared machine, wall time also counts waiting
        # for a core.
        "median_cpu_s": round(statistics.median(s["cpu_seconds"] for s in samples), 2),
        "median_growth_mb": round(statistics.median(s["growth_mb"] for s in samples), 1),
        "median_peak_mb": round(statistics.median(s["peak_mb"] for s in samples), 1),
        "zip_mb": round(samples[0]["zip_mb"], 1),
    }
    print(
        f"{patients:4d} patients × {DAYS} days: median {result['median_s']:.2f} s "
        f"({result['median_cpu_s']:.2f} s CPU), peak RSS "
        f"{result['median_peak_mb']:.0f} MB (+{result['median_growth_mb']:.1f} MB during the "
        f"export), zip {result['zip_mb']:.1f} MB, n={runs}",
        flush=True,
    )
    return result


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    runs = 1 if quick else 3
    started = time.perf_counter()
    results = {str(size): one_size(size, runs) for size in SIZES}
    small, large = results[str(SIZES[0])], results[str(SIZES[-1])]
    print(
        f"  memory growth at {SIZES[-1]} vs {SIZES[0]} patients: "
        f"{large['median_growth_mb']:.1f} MB vs {small['median_growth_mb']:.1f} MB; time "
        f"×{large['median_s'] / max(small['median_s'], 0.01):.1f} for ×{SIZES[-1] // SIZES[0]} "
        f"patients ({time.perf_counter() - started:.0f} s in all)"
    )
    return results
