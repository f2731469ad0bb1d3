"""The library pages are worked out once per synced library and language (library/shelf.py);
what a reader sees still follows their language, the latest sync and who they are."""

import re
import shutil

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backstretch.library import schema
from backstretch.library.models import Exercise
from backstretch.library.services import sync_library

pytestmark = pytest.mark.django_db

LIST = reverse("library:list")
HAMSTRING = reverse("library:detail", args=["hamstring-stretch"])
WALKING = reverse("library:detail", args=["walking"])
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, url, params=None, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "headers"),
    [
        (LIST, {}, {}),
        (LIST, {"position": "bed"}, {}),
        (LIST, {"position": "bed"}, HTMX),
        (LIST, {"q": "hamstring"}, {}),
        (HAMSTRING, {}, {}),
    ],
)
def test_a_spanish_reader_gets_spanish_right_after_an_english_one(library, url, params, headers):
    english = page(Client(), url, params, **ENGLISH, **headers)
    assert "Hamstring stretch" in english
    spanish = page(Client(), url, params, **SPANISH, **headers)
    assert "Estiramiento de isquiotibiales" in spanish
    assert "Hamstring stretch" not in spanish
    assert "Sit to stand" not in spanish  # no English card left among the Spanish ones
    again = page(Client(), url, params, **ENGLISH, **headers)
    assert "Hamstring stretch" in again and "Estiramiento de isquiotibiales" not in again


def test_a_library_sync_shows_on_the_next_request(client, library, tmp_path):
    data = tmp_path / "library"
    shutil.copytree(schema.DATA_DIR, data)
    assert "/library/walking/" in page(client, LIST)
    assert "Hamstring stretch" in page(client, HAMSTRING)
    assert "Hamstring stretch" in page(client, LIST, {"position": "bed"})

    hamstring = data / "hamstring-stretch.toml"
    text = hamstring.read_text(encoding="utf-8")
    hamstring.write_text(
        text.replace('name = "Hamstring stretch"', 'name = "Back of thigh stretch"'),
        encoding="utf-8",
    )
    (data / "walking.toml").unlink()
    (data / "es" / "walking.toml").unlink()
    report = sync_library(data)
    assert (report.updated, report.retired) == (1, 1)

    listed = page(client, LIST)
    assert ">Back of thigh stretch<" in listed and ">Hamstring stretch<" not in listed
    assert "/library/walking/" not in listed
    assert "Back of thigh stretch" in page(client, LIST, {"position": "bed"})
    assert "Back of thigh stretch" in page(client, HAMSTRING)
    assert client.get(WALKING).status_code == 404


def test_a_change_made_by_another_process_shows_too(client, library):
    """Another process's sync sends no signal here: the library's stamp still moves on."""
    assert "Hamstring stretch" in page(client, LIST)
    Exercise.objects.filter(slug="hamstring-stretch").update(
        name="Back of thigh stretch", synced_at=timezone.now()
    )
    assert "Back of thigh stretch" in page(client, LIST)
    Exercise.objects.filter(slug="walking").update(retired=True)  # a retirement moves no stamp
    assert "/library/walking/" not in page(client, LIST)
    assert Client().get(WALKING).status_code == 404


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found[1] if found else None


def test_the_header_stays_each_readers_own(client, library, patient, other_patient):
    anonymous = page(Client(), LIST)
    client.force_login(patient)
    alice = page(client, LIST)
    other = Client()
    other.force_login(other_patient)
    charlie = page(other, LIST)
    assert "Log in" in anonymous and "Log out" not in anonymous
    assert "Log out" in alice and "Log out" in charlie
    assert csrf_token(anonymous) is None
    assert csrf_token(alice) and csrf_token(charlie) and csrf_token(alice) != csrf_token(charlie)
    assert 'href="/today/"' in alice and 'href="/today/"' not in anonymous
    for html in (alice, charlie):  # the body below the header is the one every reader gets
        assert html.split('<main id="main"')[1] == anonymous.split('<main id="main"')[1]
