"""Capture the two install-prompt screenshots the web app manifest lists.

A phone's "Install Backstretch" sheet shows them, so they are real captures of the app: a demo
patient's Today page, narrow (540 x 960, a phone) and wide (1280 x 720, a computer). Run it after
a change that alters how Today looks, and commit the two PNGs it writes:

    .venv/bin/python scripts/install-screenshots.py

It starts `backstretch serve` on a free loopback port with the demo data in a throwaway data
directory, logs in as a demo patient through the login form and drives Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "backstretch" / "static" / "img" / "install"
BIN = Path(sys.executable).parent / "backstretch"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The file names and sizes the manifest declares (backstretch/practice/views_pwa.py).
SHOTS = {"today-narrow.png": (540, 960), "today-wide.png": (1280, 720)}
PATIENT = "maria@demo.backstretch.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("backstretch serve stopped before it answered")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.2)  # not listening yet: ask again
    raise SystemExit(f"backstretch serve did not answer at {base} within {seconds:.0f} s")


def main() -> int:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, BACKSTRETCH_DATA_DIR=data, BACKSTRETCH_WORKERS="1")
        subprocess.run([str(BIN), "migrate", "-v0"], env=env, check=True)
        demo = subprocess.run(
            [str(BIN), "demo", "--json"], env=env, check=True, text=True, capture_output=True
        )
        password = next(p["password"] for p in json.loads(demo.stdout) if p["email"] == PATIENT)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            wait_until_up(base, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, (width, height) in SHOTS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(base + "/accounts/login/")
                    page.fill("input[name=username]", PATIENT)
                    page.fill("input[name=password]", password)
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_url("**/today/")
                    page.screenshot(path=str(OUT / name))
                    print(f"wrote {OUT / name} ({width} x {height})")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
