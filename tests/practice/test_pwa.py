"""The service worker and the app manifest as served: public, from the site's root, and
carrying the list of files to keep, whose change makes a new cache version."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from backstretch.practice import views_pwa

pytestmark = pytest.mark.django_db


def worker_config(text):
    first_line = text.split("\n", 1)[0]
    assert first_line.startswith("const CONFIG = ") and first_line.endswith(";")
    return json.loads(first_line.removeprefix("const CONFIG = ").removesuffix(";"))


def test_the_worker_is_served_from_the_root_and_may_look_after_today(client):
    response = client.get(reverse("practice:service-worker"))
    assert response.status_code == 200
    assert reverse("practice:service-worker") == "/sw.js"
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    config = worker_config(response.content.decode())
    assert config["precache"] == ["/today/", "/today/play/"]
    assert "/today/play/?version=bad-day" in config["pages"]
    assert {"/static/player/main.js", "/static/pwa/outbox.js", "/static/css/app.css"} <= set(
        config["assets"]
    )
    assert "/static/pwa/sw.js" not in config["assets"]
    assert config["offline"]["title"] == "You are offline"


def test_a_changed_file_list_makes_a_new_cache_version(monkeypatch):
    views_pwa._worker_script.cache_clear()
    before = worker_config(views_pwa._worker_script())["version"]
    monkeypatch.setattr(views_pwa, "static", lambda name: f"/static/{name}?v=2")
    views_pwa._worker_script.cache_clear()
    after = worker_config(views_pwa._worker_script())["version"]
    views_pwa._worker_script.cache_clear()
    assert len(before) == 12 and before != after


@override_settings(LANGUAGE_CODE="en")
def test_the_manifest_opens_today_as_an_app(client):
    response = client.get(reverse("practice:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/today/" and manifest["display"] == "standalone"
    assert manifest["icons"][0]["src"] == "/static/img/logo.svg"


def test_only_signed_in_people_get_the_worker_and_outbox_script(client, patient):
    assert 'id="pwa-script"' not in client.get(reverse("library:list")).content.decode()
    client.force_login(patient)
    page = client.get(reverse("library:list")).content.decode()
    assert 'id="pwa-script"' in page and 'rel="manifest"' in page
