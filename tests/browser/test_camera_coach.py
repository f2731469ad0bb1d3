"""The player's camera coach, end to end in a real browser with the real pose model: Chromium's
fake camera plays a photograph (Debian's opencv-doc) as a video, and the patient's routine is
the chair's sit-to-stand, which the camera coaches.

- A man standing upright (basketball1.png) is in sit-to-stand's end position: the hold counts
  by itself, and the saved session says how long the camera saw him in position.
- A bowl of fruit (fruits.jpg) is nobody: the hold's timer waits, the screen and the voice say
  why, "this hurts" is still one tap away, and "Start now" lets the patient time it themselves.
- A man with bent knees (messi5.jpg) is not standing up: the coach says one correction; with
  the clinician's switch off, the hold counts all the same.

The voice is recorded by tests/browser/test_player.py's speech recorder (headless Chromium has
no voices). Real time, no fake clock: the camera's frames carry the video's own time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.accounts.models import PatientProfile
from backstretch.practice.models import PracticeSession
from backstretch.routines.services import prescribe
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, watch_csp
from tests.browser.pages import logged_in, shot
from tests.browser.test_player import SPEECH_RECORDER
from tests.cast import cleared
from tests.coach.video import camera_args, video_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTOS = Path("/usr/share/doc/opencv-doc/examples/data")
STANDING, NOBODY, KNEES_BENT = "basketball1.png", "fruits.jpg", "messi5.jpg"
HOLD_SECONDS = 4
WAITING = "Waiting until the camera sees you in position"
TOLD_TO_WAIT = "Get into position. The timer starts when the camera sees you there."


@pytest.fixture(scope="module")
def cameras(playwright, tmp_path_factory):
    """One Chromium per photograph its fake camera plays, made when first asked for."""
    browsers = {}

    def browser_seeing(photo: str):
        if photo not in browsers:
            folder = tmp_path_factory.mktemp("camera")
            video = video_of(PHOTOS / photo, folder / f"{Path(photo).stem}.y4m")
            browsers[photo] = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *camera_args(video)]
            )
        return browsers[photo]

    yield browser_seeing
    for browser in browsers.values():
        browser.close()


@pytest.fixture
def sitter(patient):
    """Alice, whose routine is sit-to-stand on a chair: two holds of four seconds."""
    prescribe(
        cleared(patient),
        "Chair",
        [
            {
                "exercise": "sit-to-stand",
                "position": "chair",
                "hold_seconds": HOLD_SECONDS,
                "repetitions": 2,
                "sides": "none",
                "rest_seconds": 3,
            }
        ],
    )
    return patient


class Watched:
    """A player page whose requests beyond the site and CSP refusals are collected."""

    def __init__(self, browser, live_server, user):
        self.page, self.errors = logged_in(browser, live_server, user, PHONE)
        self.violations: list[str] = []
        self.elsewhere: list[str] = []
        watch_csp(self.page.context, self.violations)
        self.page.on("request", self.note_request)
        self.base = live_server.url
        self.page.add_init_script(SPEECH_RECORDER)
        self.page.goto(f"{live_server.url}/today/play/")

    def note_request(self, request):
        if not request.url.startswith((self.base, "data:", "blob:")):
            self.elsewhere.append(request.url)

    def evaluate(self, script):
        return self.page.evaluate(script)

    def spoken(self) -> list[str]:
        return self.evaluate("() => window.__spoken")

    def camera_on(self, body: str):
        self.page.get_by_role("button", name="Use the camera").click()
        # The runtime and model load, then the first frames are judged: how much is seen.
        expect(self.page.locator("#coach-check-status")).to_have_attribute("data-body", body)

    def start(self):
        self.page.locator('[data-pain-scale="before"] button[data-value="3"]').click()
        expect(self.page.locator("#play-coach")).to_be_visible()

    def skip_to(self, kind: str) -> int:
        """Skip steps, as a patient may, until one of ``kind`` plays; its index."""
        for _ in range(10):
            index, now = self.evaluate(
                "() => [window.backstretchPlayer.index, window.backstretchPlayer.step.kind]"
            )
            if now == kind:
                return index
            self.page.get_by_role("button", name="Skip step").click()
            self.page.wait_for_function(f"() => window.backstretchPlayer.index > {index}")
        raise AssertionError(f"no {kind} step within ten steps")

    def wait_past(self, index: int):
        self.page.wait_for_function(f"() => window.backstretchPlayer.index > {index}")

    def engine_state(self) -> str:
        return self.evaluate("() => window.backstretchPlayer.state")

    def clean(self):
        assert self.elsewhere == [], f"requests beyond the site: {self.elsewhere}"
        assert self.violations == []
        assert self.errors == []


def test_a_patient_in_position_holds_and_the_session_keeps_what_the_camera_saw(
    cameras, live_server, sitter
):
    player = Watched(cameras(STANDING), live_server, sitter)
    page = player.page
    expect(page.locator("#coach-optin")).to_contain_text("Sit to stand")
    player.camera_on("whole")
    expect(page.locator("#coach-check-status")).to_have_text(
        "The camera can see all of you. Tap your pain number to start."
    )
    expect(page.locator("#coach-check-phone")).to_contain_text("Stand the phone")
    shot(page, "coach-check-phone")
    player.start()
    expect(page.locator("#play-coach-status")).to_have_text("The camera can see you.")
    hold = player.skip_to("move_in") + 1  # he moves into position (he is in it), then holds
    coach = page.locator("#play-coach")
    expect(coach).to_have_attribute("data-coach-state", re.compile("holding|rep_done"))
    page.wait_for_function(f"() => window.backstretchPlayer.index === {hold}")
    expect(page.locator("#play-coach-status")).to_have_text("In position: the hold is counting.")
    player.wait_past(hold)  # the hold ran by itself: the camera saw him in position
    assert TOLD_TO_WAIT not in player.spoken()
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#result-save")).to_contain_text("Saved")
    [session] = PracticeSession.objects.filter(patient=sitter)
    [watched] = [step for step in session.steps if step["index"] == hold]
    assert watched["result"] == "done"
    assert 0 < watched["camera_seconds"] <= HOLD_SECONDS + 1
    assert watched["camera_rep"] is True
    # The camera is off once the session ends.
    assert page.evaluate("() => document.querySelector('#coach-video').srcObject") is None
    player.clean()


def test_nobody_in_view_holds_the_timer_until_the_patient_says_start(cameras, live_server, sitter):
    player = Watched(cameras(NOBODY), live_server, sitter)
    page = player.page
    player.camera_on("none")
    expect(page.locator("#coach-check-status")).to_have_text(
        "The camera cannot see you yet: step into view."
    )
    player.start()
    hold = player.skip_to("hold")
    expect(page.locator("#play-paused")).to_have_text(WAITING)
    expect(page.locator("#pause-text")).to_have_text("Start now")
    expect(page.locator("#play-coach-status")).to_have_text("Move so the phone can see all of you")
    shot(page, "coach-waiting-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "coach-waiting-desktop")
    page.set_viewport_size(PHONE)
    assert player.engine_state() == "paused"
    page.wait_for_function(f"() => window.__spoken.includes({TOLD_TO_WAIT!r})")
    # "This hurts" is one tap away while the coach waits.
    page.get_by_role("button", name="This hurts").click()
    expect(page.locator("#hurt-dialog")).to_be_visible()
    page.get_by_role("button", name="Back to the session").click()
    expect(page.locator("#play-paused")).to_have_text(WAITING)
    assert (
        player.engine_state() == "paused"
        and page.evaluate("() => window.backstretchPlayer.index") == hold
    )
    # The patient times this hold themselves; the coach lets it run.
    page.get_by_role("button", name="Start now").click()
    assert player.engine_state() == "playing"
    player.wait_past(hold)
    page.get_by_role("button", name="Camera off").click()
    expect(page.locator("#play-coach")).to_be_hidden()
    assert page.evaluate("() => document.querySelector('#coach-video').srcObject") is None
    player.clean()


def test_a_correction_is_said_and_the_clinicians_switch_lets_the_hold_run(
    cameras, live_server, sitter
):
    PatientProfile.objects.filter(user=sitter).update(camera_waits_for_position=False)
    player = Watched(cameras(KNEES_BENT), live_server, sitter)
    page = player.page
    player.camera_on("whole")
    player.start()
    hold = player.skip_to("hold")
    expect(page.locator("#play-coach")).to_have_attribute("data-coach-state", "not_in_position")
    expect(page.locator("#play-coach-status")).to_have_text("Stand up tall")
    # Not in position, but seen: with the switch off the timer runs.
    assert player.engine_state() == "playing"
    page.wait_for_function("() => window.__spoken.includes('Stand up tall')")
    player.wait_past(hold)
    spoken = player.spoken()
    assert spoken.count("Stand up tall") == 1  # one correction, not a stream
    assert TOLD_TO_WAIT not in spoken
    player.clean()
