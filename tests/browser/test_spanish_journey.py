"""A Spanish-speaking patient's whole first day in a real browser, at phone size: sign-up from
a Spanish browser, the safety questions, Today, the whole routine by voice on a fast clock
(every spoken cue recorded: all Spanish, spoken with a Spanish voice), History, and the
printed routine as a PDF, all in Spanish.

headless Chromium has no voices: the page gets a stand-in speechSynthesis with a Spanish voice
(tests/browser/test_spanish.py), which records what the player says.
"""

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from backstretch.accounts.models import User
from backstretch.library.services import sync_library
from backstretch.practice.models import PracticeSession
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from backstretch.safety.redflags import QUESTIONS
from tests.browser.pages import shot
from tests.browser.test_spanish import PHONE, SPANISH_AND_ENGLISH, with_voices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path("artifacts/screens")


@pytest.fixture
def synced_library(transactional_db):
    sync_library()  # live_server reads committed rows


def test_a_spanish_patients_first_day_is_spanish_from_sign_up_to_the_printed_routine(
    browser, live_server, synced_library
):
    context = browser.new_context(viewport=PHONE, locale="es-ES", timezone_id="Europe/Madrid")
    page = context.new_page()
    with_voices(page, SPANISH_AND_ENGLISH)
    # A fake clock an hour back: the whole routine is played in a second, and a session may
    # not end in the future.
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    base = live_server.url

    # Sign-up, in the browser's language.
    page.goto(f"{base}/accounts/signup/")
    expect(page.get_by_role("heading", name="Cree su cuenta")).to_be_visible()
    page.get_by_label("Correo electrónico").fill("rosa@example.org")
    page.get_by_label("Elija una contraseña").fill("lenta-manana-estiramiento")
    page.get_by_label("Escriba la contraseña otra vez").fill("lenta-manana-estiramiento")
    page.get_by_label("En el suelo", exact=False).first.check()
    page.get_by_label("¿A qué hora del día le viene bien?").fill("08:00")
    page.get_by_role("button", name="Crear mi cuenta").click()
    page.wait_for_url("**/safety/check/")
    rosa = User.objects.get(email="rosa@example.org")
    assert rosa.language == "es"

    # The safety questions, answered "No".
    expect(page.locator("html")).to_have_attribute("lang", "es")
    for number, _question in enumerate(QUESTIONS, start=1):
        group = page.get_by_role("group", name=f"Pregunta {number}:")
        group.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.wait_for_url("**/today/")
    # Her clear answers made her routine a moment ago. The player plays its ten minutes in a
    # second of a fake clock that starts an hour back (a session may not end in the future),
    # so date the routine to before that hour, as if she had signed up earlier.
    RoutineVersion.objects.filter(routine__patient=rosa).update(
        created_at=timezone.now() - timedelta(hours=2)
    )

    # Today, in Spanish, with the date as Spanish writes it.
    expect(page.get_by_role("link", name="Empezar la rutina de hoy")).to_be_visible()
    assert re.search(r"\d+ de [a-z]+", page.locator(".eyebrow").first.text_content() or "")
    shot(page, "es-journey-today-phone")

    # The whole routine by voice.
    page.get_by_role("link", name="Empezar la rutina de hoy").click()
    expect(page.get_by_role("heading", name="¿Cómo está su dolor ahora mismo?")).to_be_visible()
    page.locator('[data-pain-scale="before"] button[data-value="5"]').click()
    expect(page.locator("#screen-play")).to_be_visible()
    with translation.override("es"):
        items = active_routine(rosa).current.routine_items()
        timeline = compile_timeline(items, translate=gettext)
    shot(page, "es-journey-player-phone")
    page.clock.run_for(round(timeline.total_seconds * 1000) + 1000)
    expect(page.get_by_role("heading", name="¿Cómo está su dolor ahora?")).to_be_visible()
    page.locator('[data-pain-scale="after"] button[data-value="3"]').click()
    page.get_by_role("button", name="Guardar sesión").click()
    expect(page.get_by_role("heading", name="Muy bien: rutina completa")).to_be_visible()
    expect(page.locator("#result-save")).to_contain_text(
        "Guardada. Usted usa Backstretch sin clínica"
    )
    session = PracticeSession.objects.get(patient=rosa)
    assert session.completed and (session.pain_before, session.pain_after) == (5, 3)

    spoken = page.evaluate("() => window.__spoken")
    cues = [s["text"] for s in spoken if not s["text"].isdigit()]
    assert cues == [step.cue for step in timeline.steps], "every Spanish cue, once, in order"
    assert {s["voice"] for s in spoken} == {"Phone Spanish"}  # the phone's own Spanish voice
    with translation.override("en"):
        english = compile_timeline(active_routine(rosa).current.routine_items())
    assert not {step.cue for step in english.steps} & set(cues), "no English cue was spoken"
    assert any(cue.startswith("Mantenga") for cue in cues)

    # History.
    page.goto(f"{base}/history/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Su historial")
    expect(page.locator("main")).to_contain_text("sesión")
    shot(page, "es-journey-history-phone")

    # The routine on paper, from Today.
    page.goto(f"{base}/today/")
    page.get_by_role("link", name="Imprimir esta rutina en papel").click()
    page.wait_for_url("**/me/handout/")
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / "es-journey-handout.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Estiramiento en rotación" in text
    assert "Pare y pida ayuda si" in text
    assert "Rotation stretch" not in text and "Stop and get help if" not in text
    first_page = ["-f", "1", "-l", "1", str(pdf), str(OUT / "es-journey-handout")]
    subprocess.run(["pdftoppm", "-png", "-r", "60", *first_page], check=True)
    context.close()
