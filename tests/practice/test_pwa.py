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


def test_rebuilt_camera_files_make_a_new_cache_version(settings, tmp_path):
    """The worker keeps the camera coach's files as they are used (pwa/sw.js); a version of
    them built from newer packages must not be answered from the old copies."""
    settings.COACH_FILES = tmp_path
    model = tmp_path / "models" / "pose_landmarker_lite.task"
    model.parent.mkdir()
    model.write_bytes(b"first build")
    views_pwa._worker_script.cache_clear()
    before = worker_config(views_pwa._worker_script())
    model.write_bytes(b"a later build")
    views_pwa._worker_script.cache_clear()
    after = worker_config(views_pwa._worker_script())
    views_pwa._worker_script.cache_clear()
    assert before["coach"] == "/coach/"
    assert before["version"] != after["version"]


@override_settings(LANGUAGE_CODE="en")
def test_the_manifest_opens_today_as_an_app(client):
    response = client.get(reverse("practice:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/today/" and manifest["display"] == "standalone"
    assert manifest["icons"][0]["src"] == "/static/img/logo.svg"
    assert manifest["id"] == "/today/"


def test_only_signed_in_people_get_the_worker_and_outbox_script(client, patient):
    assert 'id="pwa-script"' not in client.get(reverse("library:list")).content.decode()
    client.force_login(patient)
    page = client.get(reverse("library:list")).content.decode()
    assert 'id="pwa-script"' in page and 'rel="manifest"' in page


@pytest.mark.parametrize("name", ["icon-192.png", "icon-maskable-512.png"])
def test_icons_are_png_and_go_out_uncompressed(client, name):
    response = client.get(reverse("practice:picture", args=[name]), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "Content-Encoding" not in response


def test_a_maskable_icon_fills_its_corners_and_keeps_the_logo_in_the_safe_circle(client):
    from io import BytesIO

    from PIL import Image

    png = client.get(reverse("practice:picture", args=["icon-maskable-512.png"])).content
    image = Image.open(BytesIO(png)).convert("RGBA")
    teal = image.getpixel((2, 2))
    assert teal == image.getpixel((509, 509)) and teal[3] == 255
    # Every pixel of the logo's cream blocks lies within the circle of 80 % of the width.
    cream = [
        (x, y)
        for x in range(0, 512, 4)
        for y in range(0, 512, 4)
        if image.getpixel((x, y))[:3] == (0xFD, 0xF8, 0xEC)
    ]
    assert len(cream) > 100
    assert all((x - 256) ** 2 + (y - 256) ** 2 <= (0.4 * 512) ** 2 for x, y in cream)


def test_an_unknown_picture_is_a_404(client):
    assert client.get("/icons/nothing.png").status_code == 404
