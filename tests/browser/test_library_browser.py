"""The exercise library in a real browser at phone size: htmx filtering and the drawn figure."""

import pytest
from playwright.sync_api import expect

from backstretch.library import figure_files
from backstretch.library.schema import Position
from backstretch.library.services import sync_library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def synced_library(transactional_db):
    # live_server reads from another connection, so the rows must be committed.
    sync_library()


def test_a_phone_user_filters_to_bed_and_sees_the_drawn_exercise(page, live_server, synced_library):
    page.goto(f"{live_server.url}/library/")
    cards = page.locator(".cards > li")
    everything = cards.count()
    assert everything > 1
    page.wait_for_function("() => window.htmx !== undefined")

    # Mark the document: a full page load would lose the mark, an htmx swap keeps it.
    page.evaluate("() => { window.sameDocument = true; }")
    with page.expect_response(lambda r: "position=bed" in r.url) as caught:
        page.get_by_role("radio", name="Bed").click()
    response = caught.value
    assert response.request.headers.get("hx-request") == "true"
    page.wait_for_url("**/library/?*position=bed*")
    page.wait_for_function(
        "n => document.querySelectorAll('.cards > li').length < n", arg=everything
    )
    assert page.evaluate("() => window.sameDocument") is True
    assert page.locator(".badge--chosen").count() == cards.count()

    page.locator(".card__title a", has_text="Hamstring stretch").first.click()
    page.wait_for_url("**/library/hamstring-stretch/#bed")
    bed = page.locator("section#bed")
    figure = bed.get_by_role("img", name="Hamstring stretch, on the bed, left side")
    figure.wait_for(state="visible")
    box = figure.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert figure.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    steps = bed.locator("ol.steps li")
    assert steps.count() >= 2
    for index in range(steps.count()):
        assert steps.nth(index).is_visible()
    assert steps.first.bounding_box()["width"] > 0


def test_the_filters_work_without_javascript(browser, live_server, synced_library):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    plain = context.new_page()
    try:
        plain.goto(f"{live_server.url}/library/")
        plain.get_by_label("Search").fill("hamstring")
        plain.get_by_role("button", name="Show exercises").click()
        plain.wait_for_url("**q=hamstring*")
        titles = plain.locator(".card__title").all_inner_texts()
        assert "Hamstring stretch" in titles
        assert "Child's pose" not in titles
    finally:
        context.close()


# Whether an <img> shows the same pixels, right now, as a still picture at ``url``: each drawn
# onto a canvas at the natural size (an animated SVG draws its current frame).
SAME_AS = """async ([img, url]) => {
  const still = new Image();
  still.src = url;
  await Promise.all([img.decode(), still.decode()]);
  const pixels = (picture) => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(picture, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL();
  };
  return pixels(img) === pixels(still);
}"""


def test_every_card_shows_its_figure_file(page, live_server, synced_library):
    page.goto(f"{live_server.url}/library/")
    figures = page.locator(".card__figure img")
    assert figures.count() == 26
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()  # they load lazily, as a phone scrolls
        expect(figure).to_be_visible()
        assert figure.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
        assert figure.get_attribute("alt") == ""  # the card's title names the exercise
        box = figure.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50


def test_the_figure_moves_and_holds_still_for_someone_who_asked_for_less_motion(
    browser, live_server, synced_library
):
    """Inside an <img> the drawing animates by itself (SMIL); the still end pose shows instead
    when the device asks for less motion."""
    end = figure_files.figure_file("hamstring-stretch", Position.FLOOR, "left", "end").url
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion=motion)
        page = context.new_page()
        page.goto(f"{live_server.url}/library/hamstring-stretch/")
        figure = page.get_by_role("img", name="Hamstring stretch, on the floor, left side")
        expect(figure).to_be_visible()
        assert "_animated." in (figure.get_attribute("src") or "")
        if motion == "reduce":
            assert "_end." in figure.evaluate("(img) => img.currentSrc")  # only that loaded
            assert page.evaluate(SAME_AS, [figure.element_handle(), end]) is True
        else:  # it moves out of the end pose (and back): wait until it shows another one
            page.wait_for_function(
                f"(img) => ({SAME_AS})([img, {end!r}]).then((same) => !same)",
                arg=figure.element_handle(),
            )
        context.close()
