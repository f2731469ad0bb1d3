"""The camera coach's eyes in a real browser: Chromium's fake camera plays a video of a
person (made here from a photograph in Debian's opencv-doc), the player page turns the camera
on through static/player/camera.js, MediaPipe's runtime and our pose model load from this
site's /coach/ files, and body points arrive, with no request to any other origin and nothing
the page's Content-Security-Policy refuses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, watch_csp
from tests.browser.pages import logged_in
from tests.cast import cleared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = Path("/usr/share/doc/opencv-doc/examples/data/basketball1.png")
NOSE, LEFT_HIP = 0, 23


def video_of(photo: Path, path: Path, frames: int = 30) -> Path:
    """A YUV4MPEG2 file (what Chromium's fake camera plays, in a loop): ``frames`` frames of
    the photograph, 4:2:0, in grey (Y is the photo's brightness; U and V stay neutral)."""
    grey = np.asarray(Image.open(photo).convert("L"))
    height, width = grey.shape
    neutral = np.full((height // 2) * (width // 2), 128, dtype=np.uint8).tobytes()
    frame = b"FRAME\n" + grey.tobytes() + neutral + neutral
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)
    return path


@pytest.fixture(scope="module")
def camera_browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert PHOTO.is_file(), f"{PHOTO} missing: apt-get install opencv-doc (.ci/run does)"
    video = video_of(PHOTO, tmp_path_factory.mktemp("camera") / "person.y4m")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",  # the camera is allowed without asking
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        yield chromium
        chromium.close()


WATCH = """async () => {
  const { watch } = await import("/static/player/camera.js");
  const video = document.createElement("video");
  document.body.append(video);
  window.__frames = [];
  window.__camera = await watch(video, (frame) => window.__frames.push(frame));
}"""


def test_the_camera_sees_a_person_with_nothing_leaving_the_site(
    camera_browser, live_server, patient
):
    page, errors = logged_in(camera_browser, live_server, cleared(patient), PHONE)
    violations: list[str] = []
    watch_csp(page.context, violations)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/today/play/")
    assert page.url == f"{live_server.url}/today/play/"
    page.evaluate(WATCH)
    page.wait_for_function("() => window.__frames.filter((f) => f.pose).length >= 5")
    frames = page.evaluate("() => window.__frames")
    seen = [frame for frame in frames if frame["pose"]]
    times = [frame["t"] for frame in frames]
    assert times == sorted(times) and len(set(times)) == len(times)
    pose = seen[-1]["pose"]
    assert len(pose["image"]) == len(pose["world"]) == 33
    assert pose["image"][NOSE][1] < pose["image"][LEFT_HIP][1]  # upright: the head above the hips
    page.evaluate("() => window.__camera.stop()")
    assert page.evaluate("() => document.querySelector('video').srcObject") is None
    assert elsewhere == []
    assert violations == []
    assert errors == []
