"""The guided session player in a real browser: a whole routine by voice, "this hurts", the
stop guidance, keyboard control, pain limits, and screenshots at phone and desktop size.

Time runs fast with Playwright's clock; an init script records what the page says through
speechSynthesis (headless Chromium has no voices, so the recorder stands in for the engine).
"""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from backstretch.safety.models import RedFlagScreen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A self-guided patient is told truthfully that no clinician reads their session.
SAVED_ALONE = (
    "Saved. You use Backstretch without a clinic, so your session and note stay with you: "
    "nobody else reads them."
)

SCREENS = Path("artifacts/screens")
DESKTOP = {"width": 1280, "height": 800}

SPEECH_RECORDER = """
(() => {
  window.__spoken = [];
  const voice = {
    speaking: false, pending: false, paused: false,
    speak(utterance) { window.__spoken.push(utterance.text); },
    cancel() {}, pause() {}, resume() {},
    getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => voice });
  if (typeof window.SpeechSynthesisUtterance !== "function") {
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  }
  // Record each step start the player announces, for timing assertions.
  window.__steps = [];
  document.addEventListener("player:step", (event) => window.__steps.push(event.detail));
})();
"""


# Sessions still waiting in the phone's outbox (IndexedDB, see static/pwa/outbox.js).
OUTBOX_COUNT = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("backstretch");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const counting = opening.result.transaction("outbox").objectStore("outbox").count();
    counting.onsuccess = () => resolve(counting.result);
  };
})"""


@pytest.fixture
def alice(patient):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    return patient


@pytest.fixture
def timeline(alice):
    return compile_timeline(active_routine(alice).current.routine_items()).to_json()


def open_player(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.add_init_script(SPEECH_RECORDER)
    # Start the fake clock in the past: a 10-minute session run in a second must not end in
    # the future, which the API (rightly) refuses.
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    page.goto(f"{live_server.url}/today/play/")
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()


def pain_button(page, scale, value):
    return page.locator(f'[data-pain-scale="{scale}"] button[data-value="{value}"]')


def current_step(page):
    return page.evaluate("() => window.__steps.at(-1)")


def save_and_wait(page, pain_after=None, note=""):
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    if pain_after is not None:
        pain_button(page, "after", pain_after).click()
        expect(pain_button(page, "after", pain_after)).to_have_attribute("aria-pressed", "true")
    if note:
        page.get_by_label("Anything your clinician should know? (optional)").fill(note)
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#result-save")).to_have_text(SAVED_ALONE)
    return PracticeSession.objects.get()


def in_order(needles, haystack):
    """Each needle starts one of the texts in ``haystack``, in this order."""
    position = 0
    for needle in needles:
        found = [i for i in range(position, len(haystack)) if haystack[i].startswith(needle)]
        if not found:
            return False
        position = found[0] + 1
    return True


def test_the_first_screen_waits_for_its_script_before_a_tap_can_start(
    page, live_server, client, alice
):
    # On a slow phone the page shows before its script has run: a tap then would do nothing.
    # Hold the script back and the buttons are plainly not ready; let it run and they are.
    held = []
    page.route("**/player/main*.js", lambda route: held.append(route))
    client.force_login(alice)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    # A module script runs before DOMContentLoaded, so wait only for the page to arrive.
    page.goto(f"{live_server.url}/today/play/", wait_until="commit")
    skip = page.get_by_role("button", name="Skip and start")
    expect(skip).to_be_disabled()
    expect(pain_button(page, "before", 4)).to_be_disabled()
    page.wait_for_function("() => document.querySelector('script[type=module]') !== null")
    assert held, "the player's script was requested and is held"
    held[0].continue_()
    expect(skip).to_be_enabled()
    expect(pain_button(page, "before", 4)).to_be_enabled()


def test_the_whole_daily_four_plays_by_voice_and_is_saved(
    page, live_server, client, alice, timeline
):
    open_player(page, live_server, client, alice)
    pain_button(page, "before", 4).click()
    expect(page.locator("#screen-play")).to_be_visible()
    expect(page.locator("#play-figure")).to_have_attribute("data-figure", "rotation-stretch:floor")

    page.clock.run_for(timeline["total_seconds"] * 1000 + 1000)
    session = save_and_wait(page, pain_after=2, note="Looser afterwards")

    steps = timeline["steps"]
    holds = [s for s in steps if s["kind"] == "hold"]
    assert session.pain_before == 4 and session.pain_after == 2
    assert session.note == "Looser afterwards"
    assert session.completed is True
    assert session.holds_done == len(holds) == 45
    assert session.holds_skipped == 0 and session.hurts == 0
    assert [s["index"] for s in session.steps] == list(range(len(steps)))
    assert {s["result"] for s in session.steps} == {"done"}
    assert [(s["kind"], s.get("exercise"), s.get("side"), s.get("rep")) for s in session.steps] == [
        (s["kind"], s["exercise"], s["side"], s["rep"]) for s in steps
    ]

    spoken = page.evaluate("() => window.__spoken")
    cues = [text for text in spoken if not text.isdigit()]
    assert cues == [s["cue"] for s in steps], "every step's cue is spoken once, in order"
    assert in_order(
        [
            steps[0]["cue"],
            "Knees to the left first. Let both knees lower slowly to one side.",
            "Hold. Knees to the left, 1 of 10",
            "Back to the middle, then let your knees lower to the right.",
            "Next: Child's pose, on the floor.",
            "Child's pose. Kneel on a mat on your hands and knees",
            "Sit your hips back and reach your arms forward.",
            "Release",
            "Left leg straight first. Lean forward from your hips with a flat back.",
            "Sit up, and swap legs, so your right leg is straight.",
            "Hold. Left leg behind, 1 of 5",
            "Come up carefully, and swap legs, so your right knee is down",
            "Hold. Right leg behind, 5 of 5",
            "Well done: that is all for today.",
        ],
        spoken,
    )
    # Eyes closed: the starting position is said, and every hold is moved into before it is
    # timed; nothing counts in with "Get ready", and the session ends with one phrase.
    assert spoken[0].startswith("Rotation stretch (knee rolls). Lie on your back on a mat")
    kinds = {s["cue"]: s["kind"] for s in steps}
    for before, cue in pairwise(cues):
        if cue.startswith("Hold."):
            assert kinds[before] == "move_in", f"{cue!r} follows {before!r}"
    assert not any("Get ready" in text for text in spoken)
    assert [text for text in spoken if "done" in text.lower()] == [spoken[-1]]
    # The last seconds of a 10 s hold are counted out loud.
    first_child_hold = spoken.index("Hold. 1 of 5")
    assert spoken[first_child_hold + 1 : first_child_hold + 4] == ["3", "2", "1"]
    # Every step the timers start began on its planned time (the fake clock fires them
    # exactly). The first begins at the tap, where the clock still runs in real time: on a
    # busy machine the page can be paused between its two readings of it.
    late = [s["actual"] - s["planned"] for s in page.evaluate("() => window.__steps")]
    assert len(late) == len(steps) and max(late[1:]) < 20
    expect(page.get_by_role("heading", name="Well done: routine complete")).to_be_visible()
    expect(page.locator("#result-holds")).to_have_text("45")
    result = page.locator("#screen-result")
    expect(result.get_by_role("link", name="Today")).to_have_attribute("href", "/today/")
    expect(result.get_by_role("link", name="History")).to_have_attribute("href", "/history/")
    assert page.evaluate(OUTBOX_COUNT) == 0, "nothing left waiting on the phone"


def test_the_counter_names_each_side_as_the_voice_does(page, live_server, client, alice, timeline):
    open_player(page, live_server, client, alice)
    page.get_by_role("button", name="Skip and start").click()
    steps = timeline["steps"]
    elapsed = [0]

    def play_into(index):
        """Run the clock to half a second into step ``index``."""
        target = sum(step["seconds"] for step in steps[:index]) * 1000 + 500
        page.clock.run_for(target - elapsed[0])
        elapsed[0] = target
        assert current_step(page)["index"] == index

    def hold(exercise, side, rep):
        return next(
            i
            for i, s in enumerate(steps)
            if (s["kind"], s["exercise"], s["side"], s["rep"]) == ("hold", exercise, side, rep)
        )

    counter = page.locator("#play-counter")
    # The voice says "Hold. Left leg behind, 1 of 5": the screen says the same words.
    play_into(hold("hip-flexor-stretch", "left", 1))
    expect(counter).to_have_text("Left leg behind · 1 of 5")
    play_into(hold("hip-flexor-stretch", "right", 1))
    expect(counter).to_have_text("Right leg behind · 1 of 5")
    assert not page.get_by_text("Left side").or_(page.get_by_text("Right side")).is_visible()


def test_this_hurts_on_the_rotation_stretch_switches_to_the_bed(
    page, live_server, client, alice, timeline
):
    open_player(page, live_server, client, alice)
    page.get_by_role("button", name="Skip and start").click()
    # The introduction and the move into the stretch, then half a second into the first hold.
    page.clock.run_for(
        (timeline["steps"][0]["seconds"] + timeline["steps"][1]["seconds"]) * 1000 + 500
    )
    assert current_step(page)["kind"] == "hold"

    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#play-paused")).to_be_visible()
    dialog.get_by_label("A lot").check()
    dialog.get_by_label("No").check()
    dialog.get_by_role("button", name="Next").click()
    expect(dialog.get_by_role("button", name="Shorter holds: 2 seconds")).to_be_visible()
    dialog.get_by_role("button", name="Do the rest on the bed").click()
    expect(dialog).to_be_hidden()

    figure = page.locator("#play-figure")
    expect(figure).to_have_attribute("data-figure", "rotation-stretch:bed")
    expect(figure.locator("svg")).to_have_count(1)
    expect(page.locator("#play-where")).to_have_text("on the bed")
    expect(page.locator("#play-kind")).to_have_text("Get into position")
    rest = page.evaluate(
        """() => window.backstretchPlayer.played
            .slice(window.backstretchPlayer.index)
            .filter((s) => s.exercise === "rotation-stretch")
            .map((s) => [s.kind, s.position, s.side, s.rep])"""
    )
    assert {position for _, position, _, _ in rest} == {"bed"}
    bed_holds = [(side, rep) for kind, _, side, rep in rest if kind == "hold"]
    assert bed_holds[0] == ("left", 1) and len(bed_holds) == 20  # the hurt hold is done again

    page.clock.run_for(timeline["total_seconds"] * 1000)
    session = save_and_wait(page)
    hurt_steps = [s for s in session.steps if s["result"] == "hurt"]
    assert hurt_steps == [
        {
            "index": 2,
            "kind": "hold",
            "exercise": "rotation-stretch",
            "position": "floor",
            "side": "left",
            "rep": 1,
            "result": "hurt",
            "hurt_severity": "lot",
        }
    ]
    report = HurtReport.objects.get()
    assert (report.action, report.severity, report.numbness) == ("gentler", "lot", False)
    assert (report.step_index, report.exercise, report.position) == (2, "rotation-stretch", "floor")
    rotation_holds = [
        s for s in session.steps if s.get("exercise") == "rotation-stretch" and s["kind"] == "hold"
    ]
    assert [s["position"] for s in rotation_holds] == ["floor"] + ["bed"] * 20
    assert session.completed is True and session.pain_before is None
    spoken = page.evaluate("() => window.__spoken")
    assert any(
        text.startswith("Rotation stretch (knee rolls). Lie on your back on the bed")
        for text in spoken
    )


def test_sharp_pain_shows_the_stop_guidance_and_ends_the_session(page, live_server, client, alice):
    open_player(page, live_server, client, alice)
    pain_button(page, "before", 6).click()
    page.clock.run_for(12_000)
    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Sharp or shooting").check()
    dialog.get_by_label("No").check()
    dialog.get_by_role("button", name="Next").click()

    expect(dialog.get_by_role("heading", name="Please stop for today")).to_be_visible()
    expect(dialog.get_by_text("Get emergency help now")).to_be_visible()
    expect(dialog.get_by_text("Call your clinician or doctor today if")).to_be_visible()
    expect(dialog.get_by_role("button", name="Do the rest on the bed")).to_be_hidden()
    dialog.get_by_role("button", name="Stop session").click()

    session = save_and_wait(page, pain_after=7)
    assert session.completed is False and session.hurts == 1
    report = HurtReport.objects.get()
    assert (report.action, report.severity) == ("stop", "sharp")
    assert session.steps[-1]["result"] == "hurt" and session.steps[-1]["hurt_severity"] == "sharp"
    expect(page.get_by_role("heading", name="Session ended")).to_be_visible()


def test_new_numbness_also_stops_even_when_the_pain_is_mild(page, live_server, client, alice):
    open_player(page, live_server, client, alice)
    page.get_by_role("button", name="Skip and start").click()
    page.clock.run_for(3_000)
    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("A little").check()
    dialog.get_by_label("Yes").check()
    dialog.get_by_role("button", name="Next").click()
    expect(dialog.get_by_role("heading", name="Please stop for today")).to_be_visible()
    # A wrong tap can be undone; closing without answering logs nothing and plays on.
    dialog.get_by_role("button", name="I chose the wrong answer").click()
    dialog.get_by_role("button", name="Back to the session").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#play-paused")).to_be_hidden()
    assert page.evaluate("() => window.backstretchPlayer.stepResults()") == []


def test_the_keyboard_pauses_goes_back_and_skips(page, live_server, client, alice):
    open_player(page, live_server, client, alice)
    page.get_by_role("button", name="Skip and start").click()
    page.clock.run_for(1_000)
    page.keyboard.press("Space")
    expect(page.locator("#play-paused")).to_be_visible()
    expect(page.locator("#pause-text")).to_have_text("Resume")
    page.clock.run_for(30_000)
    assert current_step(page)["index"] == 0, "nothing moves while paused"
    page.keyboard.press("Space")
    expect(page.locator("#play-paused")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    assert current_step(page)["index"] == 1
    page.keyboard.press("ArrowRight")
    assert current_step(page)["kind"] == "hold"
    page.keyboard.press("ArrowLeft")
    assert current_step(page)["index"] == 1
    results = page.evaluate("() => window.backstretchPlayer.stepResults().map((r) => r.result)")
    assert results == ["skipped", "skipped"]
    # Tab reaches every control, and the focused one is visibly outlined.
    page.get_by_role("button", name="Skip exercise").focus()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_ui_cannot_send_a_pain_above_10_and_the_server_refuses_it(
    page, live_server, client, alice
):
    open_player(page, live_server, client, alice)
    values = page.locator('[data-pain-scale="after"] button').evaluate_all(
        "buttons => buttons.map((b) => Number(b.dataset.value))"
    )
    assert values == list(range(11))
    message = page.evaluate(
        """async () => {
            const { buildSession } = await import("/static/player/save.js");
            try {
              buildSession({ clientId: "x", version: 1, startedAt: new Date(), endedAt: new Date(),
                             painBefore: 11, painAfter: null, steps: [], hurtReports: [] });
              return "accepted";
            } catch (error) { return error.message; }
        }"""
    )
    assert message == "pain_before must be a whole number from 0 to 10"
    version = active_routine(alice).current.pk
    answer = page.evaluate(
        """async (version) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const now = new Date().toISOString();
            const response = await fetch("/api/v1/me/sessions", {
              method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRFToken": token },
              body: JSON.stringify({ client_id: crypto.randomUUID(), routine_version: version,
                                     started_at: now, ended_at: now, pain_before: 11 }),
            });
            return [response.status, await response.json()];
        }""",
        version,
    )
    assert answer[0] == 422
    assert answer[1]["detail"].startswith("pain_before:")
    assert "10" in answer[1]["detail"]
    assert PracticeSession.objects.count() == 0


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screens_fit_at_phone_and_desktop_size(browser, live_server, client, alice, timeline, size):
    """Screenshots for review (artifacts/screens) and the layout promises they show."""
    viewport = {"width": 390, "height": 844} if size == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    SCREENS.mkdir(parents=True, exist_ok=True)

    def shot(name):
        page.screenshot(path=SCREENS / f"player-{size}-{name}.png")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name}: page scrolls sideways"

    try:
        open_player(page, live_server, client, alice)
        shot("1-pain-before")
        for value in range(11):
            box = pain_button(page, "before", value).bounding_box()
            assert box["width"] >= 56 and box["height"] >= 56
        pain_button(page, "before", 3).click()
        intro, move_in, hold = (step["seconds"] for step in timeline["steps"][:3])
        page.clock.run_for((intro + move_in) * 1000 + 1000)  # in the first hold
        hurt = page.get_by_role("button", name="This hurts")
        expect(hurt).to_be_in_viewport()
        shot("2-hold")
        page.clock.run_for(hold * 1000)  # the change-over to the right side
        assert current_step(page)["kind"] == "move_in"
        assert timeline["steps"][current_step(page)["index"]]["side"] == "right"
        expect(hurt).to_be_in_viewport()
        shot("3-switch-side")
        # The figure is big enough to copy: the drawing, not just its box, on screen.
        drawn = page.evaluate(
            """() => {
              const still = [...document.querySelectorAll('#play-figure svg g.bs-body')]
                .map((g) => g.getBoundingClientRect()).filter((r) => r.width > 0);
              const box = document.querySelector('#play-figure svg').getBoundingClientRect();
              return {body: Math.max(...still.map((r) => Math.max(r.width, r.height))),
                      width: box.width, height: box.height, top: box.top};
            }"""
        )
        if size == "phone":
            assert drawn["height"] >= 0.3 * viewport["height"], drawn
            assert drawn["width"] >= 0.85 * viewport["width"], drawn
            assert drawn["body"] >= 0.55 * viewport["width"], drawn
            assert drawn["top"] + drawn["height"] <= viewport["height"] / 2, drawn
        hurt.click()
        shot("4-hurt-dialog")
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("A little").check()
        dialog.get_by_label("No").check()
        dialog.get_by_role("button", name="Next").click()
        shot("5-hurt-options")
        dialog.get_by_role("button", name="Carry on as before").click()
        page.get_by_role("button", name="End session").click()
        shot("6-end")
        page.get_by_role("button", name="Save session").click()
        expect(page.locator("#result-save")).to_have_text(SAVED_ALONE)
        shot("7-result")
        # 200 % text size: still no sideways scrolling, and the controls still fit.
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        shot("8-result-200pc")
    finally:
        context.close()
    assert errors == []


def test_the_figure_file_shows_and_holds_still_for_someone_who_asked_for_less_motion(
    page, live_server, client, alice, timeline
):
    """The player puts each figure file inline (it starts and holds the animation itself): the
    drawing is on screen, and with less motion asked for, its still end pose shows instead."""
    open_player(page, live_server, client, alice)
    page.get_by_role("button", name="Skip and start").click()
    page.clock.run_for(1000)  # the introduction of the first exercise
    drawing = page.locator("#play-figure svg")
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert drawing.locator("path, polygon, circle").count() >= 5
    expect(drawing.locator(".bs-anim")).to_be_visible()
    expect(drawing.locator(".bs-still")).to_be_hidden()
    page.emulate_media(reduced_motion="reduce")
    expect(drawing.locator(".bs-anim")).to_be_hidden()
    expect(drawing.locator(".bs-still")).to_be_visible()
