"""Server time, server CPU and HTML size of the public library pages, measured against a real
`backstretch serve`.

Requests go one at a time over one keep-alive connection, so each sample is the server's
time plus loopback overhead; the median over many requests damps the shared machine's noise.
Server CPU per request is the utime+stime of the server's master and workers (from /proc)
over the timed requests, divided by their number. Targets (issue 17) for `/library/`, all 26
exercises: ≤ 4 ms of server CPU per request and ≤ 40 KB of HTML.
"""

from __future__ import annotations

import http.client
import re
from typing import Any
from urllib.parse import urlsplit

from bench.api_load import server_pids, timed_gets
from bench.support import serving, summary

# name: (path, language asked for). The list's body is kept per language and choice of
# filters (library/shelf.py); a search's typed words are not kept, only its cards.
PAGES = {
    "list": ("/library/", "en"),
    "list-filtered": ("/library/?position=bed", "en"),
    "list-spanish": ("/library/", "es"),
    "list-search": ("/library/?q=stretch", "en"),
    "detail": ("/library/hamstring-stretch/", "en"),
}
TARGET_CPU_MS = 4.0
TARGET_HTML_KB = 40.0
FIGURE_URL = re.compile(r'src="(/figures/[^"]+\.svg)"')


def time_requests(
    base: str, path: str, count: int, pids: list[int], language: str = "en"
) -> dict[str, Any]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)

    def check(status: int, body: bytes) -> None:
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")

    samples, cpu_ms, body = timed_gets(
        connection, path, {"Accept-Language": language}, count, 10, pids, check
    )
    connection.close()
    result: dict[str, Any] = summary(samples)
    result["cpu_ms_per_request"] = round(cpu_ms, 2)
    result["html_kb"] = round(len(body) / 1024, 1)
    result["figure_files"] = len(set(FIGURE_URL.findall(body.decode())))
    return result


def met(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    count = 50 if quick else 300
    results = {}
    with serving(workers=2) as (base, master):
        pids = server_pids(master)
        for name, (path, language) in PAGES.items():
            r = results[name] = time_requests(base, path, count, pids, language)
            label = f"{path} ({language})"
            print(
                f"{label:<37} median {r['median_ms']:6.2f} ms  p90 {r['p90_ms']:6.2f} ms  "
                f"CPU {r['cpu_ms_per_request']:6.2f} ms/request  HTML {r['html_kb']:5.1f} KB  "
                f"figure files {r['figure_files']}  n={count}"
            )
    r = results["list"]
    print(
        f"/library/ server CPU {r['cpu_ms_per_request']:.2f} ms per request "
        f"(target ≤ {TARGET_CPU_MS:g} ms: {met(r['cpu_ms_per_request'], TARGET_CPU_MS)}); "
        f"HTML {r['html_kb']:.1f} KB (target ≤ {TARGET_HTML_KB:g} KB: "
        f"{met(r['html_kb'], TARGET_HTML_KB)})"
    )
    return results
