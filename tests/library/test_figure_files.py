"""Figure files: pages reference each figure as an <img> with its words, and the file it
names is served as an SVG picture that browsers keep for good."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse
from django.utils import translation

from backstretch.library import figure_files

IMAGE = re.compile(r"<img ([^>]*)>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
YEAR = 365 * 24 * 60 * 60


def figure_images(page: str) -> list[dict[str, str]]:
    images = [
        {name: unescape(value) for name, value in ATTRIBUTE.findall(tag)}
        for tag in IMAGE.findall(page)
    ]
    return [image for image in images if image["src"].startswith("/figures/")]


def max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found[1]) if found else 0


def test_the_library_references_figure_files_that_are_served_for_good(client, library):
    page = client.get(reverse("library:list")).content.decode()
    images = figure_images(page)
    assert len(images) == 26  # every exercise's card
    assert "<svg" not in page.split("<main", 1)[1]  # no drawing inline any more
    # The cards name their exercise beside the picture: it is decorative, and says so.
    assert {image["alt"] for image in images} == {""}
    for image in images:
        response = client.get(image["src"])
        assert response.status_code == 200, image["src"]
        assert response["Content-Type"] == "image/svg+xml"
        assert max_age(response["Cache-Control"]) >= YEAR
        assert "immutable" in response["Cache-Control"]
        assert "Content-Security-Policy" not in response  # a picture, not a page
        svg = b"".join(response.streaming_content)
        assert svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        assert f'width="{image["width"]}" height="{image["height"]}"'.encode() in svg


def test_the_exercise_page_gives_each_figure_its_words_in_the_readers_language(client, library):
    url = reverse("library:detail", args=["hamstring-stretch"])
    english = figure_images(client.get(url).content.decode())
    assert [image["alt"] for image in english] == [
        "Hamstring stretch, on the floor, left side",
        "Hamstring stretch, on the bed, left side",
        "Hamstring stretch, with a chair, left side",
    ]
    with translation.override("en"):  # what the request switches to ends with the test
        spanish = figure_images(client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert all(
        image["alt"] and image["alt"] not in {e["alt"] for e in english} for image in spanish
    )
    # The picture holds no words, so both languages share one file.
    assert [image["src"] for image in spanish] == [image["src"] for image in english]
    response = client.get(english[0]["src"])
    assert response["Content-Type"] == "image/svg+xml"
    svg = b"".join(response.streaming_content)
    assert b"<style" not in svg  # a page that puts it inline (the player) allows none
    assert b'<g class="bs-body bs-still" display="none">' in svg  # app.css shows it inline


def test_a_figure_file_missing_on_disk_is_drawn_again_and_a_made_up_one_is_not(
    client, library, settings, tmp_path
):
    page = client.get(reverse("library:list")).content.decode()
    src = figure_images(page)[0]["src"]
    settings.BACKSTRETCH_FIGURES_ROOT = tmp_path  # another server, or an emptied folder
    response = client.get(src)
    assert response.status_code == 200
    assert (tmp_path / src.removeprefix(figure_files.URL_PREFIX)).is_file()
    wrong_digest = re.sub(r"\.[0-9a-f]{12}\.svg$", ".000000000000.svg", src)
    for url in (wrong_digest, "/figures/../secret_key", "/figures/nobody_bed_left_end.svg"):
        assert client.get(url).status_code == 404, url
