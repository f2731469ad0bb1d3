"""The exercise library in a real browser at phone size: htmx filtering and the drawn figure."""

import pytest

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
    figure = bed.locator("figure svg").first
    figure.wait_for(state="visible")
    box = figure.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert figure.locator("path, polygon, circle, ellipse, rect, line, polyline").count() >= 5
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
