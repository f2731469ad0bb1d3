"""How heavy the player page is: every byte the browser receives to show /today/play/.

Headless Chromium with an empty cache loads the page from a real `backstretch serve` (a
patient on the shipped daily-four routine: four exercises, eight figures) and the Chrome
DevTools Protocol reports each response's encoded (compressed, as transferred) length,
headers included. Targets: ≤ 100 KB
in all, and zero requests to any other host.

The first visit also installs the service worker, which fetches what offline use needs and
the page has not loaded already (its own script, Today and the player's HTML, a stylesheet).
Those bytes are counted apart, from Playwright's requests made by the worker (a response
served from the browser's HTTP cache costs nothing and is not counted).
"""

from __future__ import annotations

import statistics
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from bench.player_timing import chromium_page, player_site

TARGET_BYTES = 100 * 1024
KEPT = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const cache = await caches.open("backstretch-pages");
  return Boolean(registration.active && (await cache.match("/today/play/")));
}"""


def worker_script_bytes(base: str) -> int:
    """The worker's own script as sent (the browser fetches it apart from any page or worker
    request Playwright reports): compressed body plus headers."""
    request = urllib.request.Request(f"{base}/sw.js", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        body = response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
    return len(body) + headers


def transfers(page: Any) -> tuple[dict[str, str], dict[str, float]]:
    """With the page's HTTP cache off, what it requests from now on: (request id -> URL,
    request id -> bytes transferred, compressed, headers included), filled in as it goes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    return urls, sizes


def load_once(base: str, session_key: str) -> dict[str, Any]:
    with chromium_page(base, session_key) as page:
        urls, sizes = transfers(page)
        worker: dict[str, int] = {}

        def by_worker(request: Any) -> None:
            if request.service_worker is None:
                return
            sizes_ = request.sizes()
            if sizes_["responseBodySize"] > 0:  # else served from the HTTP cache
                key = f"{request.url} (worker)"
                worker[key] = sizes_["responseBodySize"] + sizes_["responseHeadersSize"]

        page.context.on("requestfinished", by_worker)
        page.goto(f"{base}/today/play/", wait_until="networkidle")
        page.wait_for_function("() => window.backstretchPlayer !== undefined")
        page.wait_for_function(KEPT, timeout=30_000)
        page.wait_for_timeout(500)  # the last responses' sizes
        worker[f"{base}/sw.js (worker)"] = worker_script_bytes(base)
        own_host = urlsplit(base).netloc
        files = {urls[rid]: int(size) for rid, size in sizes.items() if rid in urls}
        others = [url for url in urls.values() if urlsplit(url).netloc not in (own_host, "")]
        return {
            "files": files,
            "total": sum(files.values()),
            "worker_files": worker,
            "worker_total": sum(worker.values()),
            "other_hosts": len(others),
        }


def run(quick: bool = False) -> dict[str, Any]:
    loads = []
    with player_site(items=[]) as (base, session_key):
        for _ in range(1 if quick else 3):
            loads.append(load_once(base, session_key))
    first = loads[0]
    every = {**first["files"], **first["worker_files"]}
    for url, size in sorted(every.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:7.1f} KB  {urlsplit(url).path}")
    total = statistics.median(load["total"] for load in loads)
    worker = statistics.median(load["worker_total"] for load in loads)
    others = max(load["other_hosts"] for load in loads)
    print(
        f"player page: {total / 1024:.1f} KB transferred in {len(first['files'])} requests "
        f"(target ≤ {TARGET_BYTES // 1024} KB); requests to other hosts: {others} (target 0)"
    )
    print(
        f"offline copy (service worker, first visit only): {worker / 1024:.1f} KB in "
        f"{len(first['worker_files'])} requests; "
        f"first visit in all: {(total + worker) / 1024:.1f} KB"
    )
    return {
        "total_bytes": total,
        "requests": len(first["files"]),
        "worker_bytes": worker,
        "worker_requests": len(first["worker_files"]),
        "first_visit_bytes": total + worker,
        "other_hosts": others,
        "files": first["files"],
        "worker_files": first["worker_files"],
    }
