"""The camera coach offline: the service worker keeps each of the coach's files (/coach/: the
pose runtime and model) the first time the page loads it, so a patient who used the camera
once with a network can use it with none; a patient who never turned the camera on downloads
and keeps none of them (about 8 MB).

The network is cut with Playwright's ``context.set_offline``, which also cuts the service
worker's own requests: an answer with no network came from what the worker kept.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE, WAIT_MS
from tests.browser.pages import logged_in
from tests.cast import cleared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODEL = "/coach/models/pose_landmarker_lite.task"
WASM = "/coach/tasks-vision/wasm/vision_wasm_internal.wasm"

# The worker is in charge of the page (it claims it on activation) and has kept the player.
IN_CHARGE = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!registration.active || navigator.serviceWorker.controller === null) return false;
  return Boolean(await (await caches.open("backstretch-pages")).match("/today/play/"));
}"""
# What the page gets for a URL, as the camera's code would fetch it.
FETCH = """async ([url, range]) => {
  try {
    const response = await fetch(url, range ? { headers: { Range: range } } : {});
    const body = await response.arrayBuffer();
    const first = Array.from(new Uint8Array(body.slice(0, 4)));
    return { status: response.status, size: body.byteLength, first };
  } catch (error) {
    return { failed: String(error) };
  }
}"""
# Every /coach/ file kept in any of this site's caches.
KEPT_COACH_FILES = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith("/coach/")) kept.push(path);
    }
  }
  return kept.sort();
}"""


def wait_until(page, check: str) -> None:
    """Wait until the async function ``check`` answers true in the page (``wait_for_function``
    does not wait for a promise: one counts as true at once)."""
    until = f"""async () => {{
      const check = {check};
      const deadline = performance.now() + {WAIT_MS};
      while (!(await check())) {{
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }}
      return true;
    }}"""
    assert page.evaluate(until), f"still not true after {WAIT_MS} ms: {check}"


def size_of(url: str) -> int:
    return (settings.COACH_FILES / url.removeprefix("/coach/")).stat().st_size


@pytest.fixture
def phone(browser, live_server, patient):
    page, errors = logged_in(browser, live_server, cleared(patient), PHONE)
    page.goto(f"{live_server.url}/today/")
    wait_until(page, IN_CHARGE)
    yield page
    page.context.close()
    assert errors == []


def fetch(page, url, range_=None):
    return page.evaluate(FETCH, [url, range_])


def test_the_camera_s_files_loaded_once_online_are_there_offline(phone, live_server):
    online = {url: fetch(phone, url) for url in (MODEL, WASM)}
    assert online[MODEL] == {"status": 200, "size": size_of(MODEL), "first": list(b"PK\3\4")}
    assert online[WASM] == {"status": 200, "size": size_of(WASM), "first": list(b"\0asm")}
    wait_until(phone, f"async () => (await ({KEPT_COACH_FILES})()).length === 2")
    assert phone.evaluate(KEPT_COACH_FILES) == sorted([MODEL, WASM])

    phone.context.set_offline(True)
    phone.reload()  # the page itself comes from the worker now: there is no network
    assert fetch(phone, MODEL) == online[MODEL]
    assert fetch(phone, WASM) == online[WASM]
    # A file the camera never loaded was not kept: with no network, there is none.
    assert "failed" in fetch(phone, "/coach/NOTICE")


def test_only_a_whole_file_from_the_site_is_kept(phone, live_server):
    part = fetch(phone, "/coach/NOTICE", "bytes=0-9")
    assert (part["status"], part["size"]) == (206, 10)  # a range: not kept
    assert fetch(phone, "/coach/models/other.task")["status"] == 404  # not a file: not kept
    assert fetch(phone, "/coach/LICENSE")["status"] == 200
    wait_until(phone, f"async () => (await ({KEPT_COACH_FILES})()).length > 0")
    assert phone.evaluate(KEPT_COACH_FILES) == ["/coach/LICENSE"]


def test_a_patient_who_never_turned_the_camera_on_keeps_none_of_its_files(phone, live_server):
    phone.goto(f"{live_server.url}/today/play/")
    wait_until(phone, IN_CHARGE)
    assert phone.evaluate("() => caches.keys()")  # the worker has kept the app's files…
    assert phone.evaluate(KEPT_COACH_FILES) == []  # …and none of the camera's
