"""The camera coach's eyes in a real browser: Chromium's fake camera plays a video of a
person (made here from a photograph in Debian's opencv-doc), the player page turns the camera
on through static/player/camera.js, MediaPipe's runtime and our pose model load from this
site's /coach/ files, and body points arrive, with no request to any other origin and nothing
the page's Content-Security-Policy refuses."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, watch_csp
from tests.browser.pages import logged_in
from tests.cast import cleared
from tests.coach.video import PHOTO, WATCH, camera_args, video_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOSE, LEFT_HIP = 0, 23


@pytest.fixture(scope="module")
def camera_browser(playwright, tmp_path_factory):
    """A Chromium of its own, whose camera plays a person."""
    video = video_of(PHOTO, tmp_path_factory.mktemp("camera") / "person.y4m")
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *camera_args(video)]
    )
    yield chromium
    chromium.close()


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
