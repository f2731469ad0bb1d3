"""A Spanish patient in a real browser: sign-up, Today and the player in Spanish at phone size,
the voice chosen for the language, and a plain word on screen when the phone has none.

headless Chromium lists no voices, so an init script stands in for speechSynthesis with the
voices a test gives it and records what the page says, and with which voice.
"""

import json

import pytest
from playwright.sync_api import expect

from backstretch.safety.models import RedFlagScreen
from tests.browser.pages import logged_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

FAKE_SPEECH = """
(voices) => {
  window.__spoken = [];
  const synth = {
    speaking: false, pending: false, paused: false,
    speak(utterance) {
      window.__spoken.push({ text: utterance.text, voice: utterance.voice?.name ?? null });
    },
    cancel() {}, pause() {}, resume() {},
    getVoices() { return voices; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => synth });
  // Chromium's own utterance takes only its own voice objects: stand in for it too.
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}
"""

SPANISH_AND_ENGLISH = [
    {"name": "Network English", "lang": "en-US", "localService": False},
    {"name": "Network Spanish", "lang": "es-ES", "localService": False},
    {"name": "Phone Spanish", "lang": "es_ES", "localService": True},
]
ENGLISH_ONLY = [{"name": "Phone English", "lang": "en-GB", "localService": True}]


@pytest.fixture
def rosa(patient):
    """Alice, reading Backstretch in Spanish, cleared to exercise."""
    patient.language = "es"
    patient.save(update_fields=["language"])
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    return patient


def with_voices(page, voices):
    page.add_init_script(f"({FAKE_SPEECH})({json.dumps(voices)})")


def test_sign_up_starts_in_the_browsers_language(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", name="Cree su cuenta")).to_be_visible()
    expect(page.get_by_label("Idioma")).to_have_value("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    shot(page, "es-signup-phone")
    context.close()


def test_today_and_the_player_speak_spanish_with_a_spanish_voice(browser, live_server, rosa):
    page, errors = logged_in(browser, live_server, rosa, PHONE)
    with_voices(page, SPANISH_AND_ENGLISH)
    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_role("link", name="Empezar la rutina de hoy")).to_be_visible()
    expect(
        page.get_by_role("link", name="Estiramiento en rotación (balanceo de rodillas)")
    ).to_be_visible()
    shot(page, "es-today-phone")

    page.goto(f"{live_server.url}/today/play/")
    expect(page.get_by_role("heading", name="¿Cómo está su dolor ahora mismo?")).to_be_visible()
    shot(page, "es-player-start-phone")
    page.locator('[data-pain-scale="before"] button[data-value="3"]').click()
    expect(page.locator("#play-name")).to_contain_text("Estiramiento en rotación")
    page.wait_for_function("() => window.__spoken.length > 0")
    first = page.evaluate("() => window.__spoken[0]")
    assert first["text"].startswith("Estiramiento en rotación (balanceo de rodillas). Túmbese")
    assert first["voice"] == "Phone Spanish"  # the language's voice on the phone itself
    expect(page.locator("[data-no-voice]").first).to_be_hidden()
    shot(page, "es-player-playing-phone")
    assert errors == []


def test_a_phone_without_a_spanish_voice_says_so_and_stays_silent(browser, live_server, rosa):
    page, errors = logged_in(browser, live_server, rosa, PHONE)
    with_voices(page, ENGLISH_ONLY)
    page.goto(f"{live_server.url}/today/play/")
    notice = page.get_by_text("Este dispositivo no tiene una voz para su idioma")
    expect(notice).to_be_visible()
    page.locator('[data-pain-scale="before"] button[data-value="3"]').click()
    expect(page.locator("#play-name")).to_contain_text("Estiramiento en rotación")
    expect(page.get_by_text("No hay voz para su idioma en este dispositivo")).to_be_visible()
    shot(page, "es-player-no-voice-phone")
    assert page.evaluate("() => window.__spoken") == []
    assert errors == []
