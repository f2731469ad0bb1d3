"""Server time of the public library pages, measured against a real `backstretch serve`.

Requests go one at a time over one keep-alive connection, so each sample is the server's
time plus loopback overhead; the median over many requests damps the shared machine's noise.
"""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

from bench.support import served, summary

PAGES = {
    "list": "/library/",
    "list-filtered": "/library/?position=bed",
    "detail": "/library/hamstring-stretch/",
}


def time_requests(base: str, path: str, count: int) -> list[float]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    samples = []
    for index in range(count + 10):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        if index >= 10:  # the first requests warm caches and workers
            samples.append(elapsed)
    connection.close()
    return samples


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    count = 50 if quick else 300
    results = {}
    with served(workers=2) as base:
        for name, path in PAGES.items():
            results[name] = summary(time_requests(base, path, count))
            r = results[name]
            print(
                f"{path:<32} median {r['median_ms']:6.2f} ms  p90 {r['p90_ms']:6.2f} ms  n={count}"
            )
    return results
