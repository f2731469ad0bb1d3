"""How heavy the player page is: every byte the browser receives to show /today/play/.

Headless Chromium with an empty cache loads the page from a real `backstretch serve` (a
patient on the shipped daily-four routine: four exercises, eight figures) and the Chrome
DevTools Protocol reports each response's encoded (compressed, as transferred) length,
headers included. Targets: ≤ 100 KB
in all, and zero requests to any other host.
"""

from __future__ import annotations

import statistics
from typing import Any
from urllib.parse import urlsplit

from bench.player_timing import chromium_page, player_site

TARGET_BYTES = 100 * 1024


def load_once(base: str, session_key: str) -> dict[str, Any]:
    with chromium_page(base, session_key) as page:
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
        page.goto(f"{base}/today/play/", wait_until="networkidle")
        page.wait_for_function("() => window.backstretchPlayer !== undefined")
        own_host = urlsplit(base).netloc
        files = {urls[rid]: int(size) for rid, size in sizes.items() if rid in urls}
        others = [url for url in urls.values() if urlsplit(url).netloc not in (own_host, "")]
        return {"files": files, "total": sum(files.values()), "other_hosts": len(others)}


def run(quick: bool = False) -> dict[str, Any]:
    loads = []
    with player_site(items=[]) as (base, session_key):
        for _ in range(1 if quick else 3):
            loads.append(load_once(base, session_key))
    first = loads[0]
    for url, size in sorted(first["files"].items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:7.1f} KB  {urlsplit(url).path}")
    total = statistics.median(load["total"] for load in loads)
    others = max(load["other_hosts"] for load in loads)
    print(
        f"player page: {total / 1024:.1f} KB transferred in {len(first['files'])} requests "
        f"(target ≤ {TARGET_BYTES // 1024} KB); requests to other hosts: {others} (target 0)"
    )
    return {
        "total_bytes": total,
        "requests": len(first["files"]),
        "other_hosts": others,
        "files": first["files"],
    }
