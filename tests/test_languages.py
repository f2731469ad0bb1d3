"""Languages: who reads which language, and Spanish complete (interface, exercises, voice).

The page language comes from the person's own setting (User.language), else from the
browser's Accept-Language; a clinician can set it on an invitation, and the invited person
gets it. The exercise words come from library/data/es/, checked by `backstretch library check`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse
from django.utils import translation

from backstretch.accounts.models import User
from backstretch.clinic.models import Invitation
from backstretch.clinic.services import invite
from backstretch.core.catalogues import LOCALE_DIR, compile_catalogues, stale_catalogues
from backstretch.routines.timeline import compile_timeline
from tests.accounts.test_signup import form_data
from tests.cast import cleared

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.mark.django_db
def test_an_anonymous_page_follows_the_browser():
    client = Client()
    spanish = client.get(reverse("login"), **SPANISH)
    assert spanish["Content-Language"] == "es"
    assert '<html lang="es"' in spanish.content.decode()
    assert "Entrar" in spanish.content.decode()
    english = client.get(reverse("login"), **ENGLISH)
    assert '<html lang="en"' in english.content.decode()
    assert "Log in" in english.content.decode()


@pytest.mark.django_db
def test_the_persons_own_language_wins_over_the_browser(client, patient):
    patient.language = "es"
    patient.save()
    client.force_login(cleared(patient))
    page = client.get(reverse("practice:today"), **ENGLISH).content.decode()
    assert '<html lang="es"' in page
    assert "Empezar la rutina de hoy" in page
    # Exercise names come from the Spanish data files (daily four: rotation stretch first).
    assert "Estiramiento en rotación" in page


@pytest.mark.django_db
def test_the_profile_page_changes_the_language(client, patient):
    client.force_login(patient)
    page = client.get(reverse("accounts:profile"), **ENGLISH).content.decode()
    assert 'name="language"' in page
    answer = client.post(reverse("accounts:language"), {"language": "es"}, follow=True)
    patient.refresh_from_db()
    assert patient.language == "es"
    assert "Idioma guardado." in answer.content.decode()
    wrong = client.post(reverse("accounts:language"), {"language": "xx"}, follow=True)
    patient.refresh_from_db()
    assert patient.language == "es"  # unchanged, and the page says what to do
    assert "Elija uno de los idiomas de la lista." in wrong.content.decode()


@pytest.mark.django_db
def test_sign_up_starts_from_the_browsers_language_and_keeps_the_choice(client, library):
    page = client.get(reverse("accounts:signup"), **SPANISH).content.decode()
    assert '<option value="es" selected>Español</option>' in page
    assert "Cree su cuenta" in page
    client.post(reverse("accounts:signup"), form_data(language="es"), **ENGLISH)
    assert User.objects.get(email="dana@example.org").language == "es"


@pytest.mark.django_db
def test_an_invited_patient_gets_the_language_the_clinician_chose(client, bob, northside):
    invitation = invite(northside, bob, Invitation.Kind.PATIENT, "rosa@example.org", "", "es")
    url = reverse("clinic:accept", args=[invitation.token])
    page = client.get(url, **ENGLISH).content.decode()
    assert "Crear mi cuenta y unirme" in page
    assert '<option value="es" selected>Español</option>' in page
    data = form_data(email="rosa@example.org", language="es")
    client.post(url, data, **ENGLISH)
    assert User.objects.get(email="rosa@example.org").language == "es"


@pytest.mark.django_db
def test_the_invitation_form_offers_the_languages(client, bob):
    client.force_login(bob)
    page = client.get(reverse("clinic:invitations")).content.decode()
    assert '<option value="es">Español</option>' in page


@pytest.mark.django_db
def test_a_spanish_patients_spoken_routine_is_in_spanish(patient):
    version = patient.routines.get(is_active=True).current
    with translation.override("es"):
        items = version.routine_items()
        steps = compile_timeline(items, translate=translation.gettext).steps
    spoken = " ".join(step.cue for step in steps)
    assert "Estiramiento en rotación" in spoken
    assert "Mantenga." in spoken
    assert "Túmbese boca arriba" in spoken
    # No English fixed phrase is left in it.
    for english in ("Hold.", "Next:", "Release", "You need", " first."):
        assert english not in spoken


def test_library_check_lists_no_missing_spanish_translation(cli_env):
    done = subprocess.run(
        [sys.executable, "-m", "backstretch.cli", "library", "check"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "es: 26 of 26 exercises translated." in done.stdout
    assert "OK: routine template translations." in done.stdout
    assert "OK: tip translations." in done.stdout
    assert "Not translated yet" not in done.stdout


def test_every_spanish_message_is_translated():
    for name in ("django.po", "djangojs.po"):
        path = LOCALE_DIR / "es" / "LC_MESSAGES" / name
        if not path.exists():
            continue
        with path.open("rb") as source:
            catalog = read_po(source)
        untranslated = [
            message.id
            for message in catalog
            if message.id
            and (
                message.fuzzy
                or not (
                    all(message.string) if isinstance(message.string, tuple) else message.string
                )
            )
        ]
        assert untranslated == [], f"{name}: {len(untranslated)} untranslated"


def test_a_changed_catalogue_is_compiled_again(tmp_path):
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr "Hola"\n',
        encoding="utf-8",
    )
    assert stale_catalogues(tmp_path) == [po]
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    assert stale_catalogues(tmp_path) == []
    assert b"Hola" in po.with_suffix(".mo").read_bytes()


def test_the_shipped_catalogues_are_compiled_when_django_starts():
    # tests/settings.py started Django (CoreConfig.ready): no catalogue is left stale.
    assert stale_catalogues() == []
    assert Path(LOCALE_DIR / "es" / "LC_MESSAGES" / "django.mo").exists()


def test_every_body_area_of_the_library_has_words():
    from backstretch.library.schema import load_library
    from backstretch.library.vocabulary import AREA_LABELS

    areas = {target for spec in load_library().values() for target in spec.targets}
    assert areas - AREA_LABELS.keys() == set()


@pytest.mark.django_db
def test_a_routine_from_a_template_reads_in_the_readers_language(patient):
    from backstretch.routines.models import Routine

    with translation.override("es"):
        routine = Routine.objects.get(patient=patient)
        assert routine.name == "Los cuatro de cada día"
        assert routine.current.reason == "Empezada desde la plantilla «Los cuatro de cada día»"
        routine.save()  # stored as it was made, in English
    assert Routine.objects.get(patient=patient).name == "Daily four"


def test_tips_come_in_spanish():
    from backstretch.practice.tips import shipped_tips, tip_text

    tip = shipped_tips()[0]
    assert tip_text(tip, "es") != tip.text
    assert tip_text(tip, "en") == tip.text


@pytest.mark.django_db
def test_a_reminder_e_mail_comes_in_the_patients_language(patient):
    from backstretch.reminders.mail import build_message
    from backstretch.reminders.schedule import Kind
    from backstretch.reminders.services import settings_for

    patient.language = "es"
    patient.save(update_fields=["language"])
    message = build_message(settings_for(patient), Kind.DAILY)
    assert message.subject == "Hora de sus estiramientos"
    assert "Abrir la sesión de hoy" in message.body


@pytest.mark.django_db
def test_a_clinician_prints_the_handout_in_the_patients_language(client, bob, patient):
    patient.language = "es"
    patient.save(update_fields=["language"])
    client.force_login(bob)
    page = client.get(reverse("clinic:handout", args=[patient.pk]), **ENGLISH)
    assert page["Content-Language"] == "es"
    assert "Pare y pida ayuda si…" in page.content.decode()
    assert "Estiramiento en rotación" in page.content.decode()


@pytest.mark.django_db
def test_the_calendar_feed_speaks_the_patients_language(patient):
    from backstretch.reminders.services import settings_for

    patient.language = "es"
    patient.save(update_fields=["language"])
    reminders = settings_for(patient)
    reminders.channels = [*reminders.channels, "calendar"]
    reminders.save()
    body = Client().get(f"/reminders/feed/{reminders.feed_token}.ics", **ENGLISH).content
    assert "Estiramientos: Los cuatro de cada día" in body.decode().replace("\r\n ", "")


@pytest.mark.django_db
def test_dates_are_written_as_each_language_writes_them(frozen_now, client, patient):
    client.force_login(cleared(patient))
    assert "Wednesday 18 November" in client.get(reverse("practice:today")).content.decode()
    patient.language = "es"
    patient.save(update_fields=["language"])
    page = client.get(reverse("practice:today")).content.decode()
    assert "miércoles 18 de noviembre" in page
    from backstretch.dates import long_date

    with translation.override("es"):
        assert long_date(frozen_now, "j F Y, H:i") == "18 de noviembre de 2026, 12:00"
        assert long_date(frozen_now, "j M Y") == "18 Nov 2026"  # not one of ours: as it is
    with translation.override("en"):
        assert long_date(frozen_now, "j F Y") == "18 November 2026"
    assert long_date(None, "j F Y") == ""


@pytest.mark.django_db
def test_the_library_lists_exercises_in_the_order_of_the_readers_language(client, library):
    import re

    from backstretch.library.models import name_key

    def names(accept):
        page = client.get(reverse("library:list"), **accept).content.decode()
        return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', page)

    english, spanish = names(ENGLISH), names(SPANISH)
    assert len(english) == len(spanish) == 26
    assert english == sorted(english, key=name_key)
    assert spanish == sorted(spanish, key=name_key) != english
    assert "Almeja" in spanish and "Clamshell" in english


@pytest.mark.django_db
def test_the_api_says_what_to_fix_in_the_patients_language(patient):
    from datetime import timedelta

    from django.utils import timezone

    from backstretch.accounts.tokens import create_token
    from tests.sessions import session_body

    patient.language = "es"
    patient.save(update_fields=["language"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(patient, 'test')[1]}")
    body = session_body(patient, ended=timezone.now() + timedelta(hours=2))
    response = api.post("/api/v1/me/sessions", body, content_type="application/json", **ENGLISH)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ended_at", "message": "en el futuro: compruebe el reloj del dispositivo"}
    ]
    del body["client_id"]
    missing = api.post("/api/v1/me/sessions", body, content_type="application/json").json()
    assert {"field": "client_id", "message": "Campo obligatorio"} in missing["errors"]
    body = session_body(patient, pain_after=11, note="x" * 2001, started_at="ayer")
    wrong = api.post("/api/v1/me/sessions", body, content_type="application/json").json()
    assert {(e["field"], e["message"]) for e in wrong["errors"]} >= {
        ("pain_after", "Escriba 10 o menos."),
        ("note", "Use como mucho 2000 caracteres."),
        (
            "started_at",
            "Escriba una fecha y hora con su diferencia con UTC, por ejemplo "
            "2026-12-06T08:30:00+01:00.",
        ),
    }
