"""Every page of the permission matrix through axe-core (the npm package, pinned in
package.json), as each role that may see it, at a phone's and a desktop's size, in English
and in Spanish: no violation of impact "serious" or "critical". The player is checked while
it plays, too.

One browser context per role, size and language; its one page visits that role's pages in
turn. axe-core goes into each page as an init script of the context (given once, run by the
browser before the page's own scripts, outside the page's Content-Security-Policy): about half
the cost of sending the 560 kB file with page.add_script_tag after every page load, and the
policy stays on and watched as in every browser test.

Content the page hides from screen readers (aria-hidden) is not checked for contrast by axe:
the calendar's day numbers are, so their contrast is measured by a test of its own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.matrix import AXE, DESKTOP, PHONE, html_pages, in_language, page_as, with_history
from tests.browser.pages import logged_in
from tests.cast import cleared

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pages_only,
    pytest.mark.django_db(transaction=True),
]

SERIOUS = ("serious", "critical")
RUN_AXE = """async () => {
  const found = await axe.run(document, { resultTypes: ["violations"] });
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
}"""


def axe_violations(page) -> list[dict]:
    return page.evaluate(RUN_AXE)


def describe(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " / ".join(node["summary"].splitlines()[1:3])
            lines.append(f"    {node['target']}: {summary}")
    return lines


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_serious_or_critical_violations_on_any_page(browser, live_server, cast, language, size):
    users, kwargs = cast
    with_history(users["alice"])
    in_language(users, language)
    pages = html_pages(users, kwargs)
    assert sum(len(urls) for urls in pages.values()) > 40
    viewport = PHONE if size == "phone" else DESKTOP
    found: list[str] = []
    checked = 0
    for role, urls in pages.items():
        page, errors = page_as(
            browser, live_server, users, role, viewport=viewport, locale=language
        )
        page.context.add_init_script(path=str(AXE))
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            assert page.locator("html").get_attribute("lang") == language, url
            found += describe(f"{url} as {role}", axe_violations(page))
            checked += 1
        if role == "alice":
            # The player while it plays: its own screen, shown only after a start.
            page.goto(f"{live_server.url}/today/play/")
            page.locator('[data-action="skip-pain"]').click()
            expect(page.locator("#screen-play")).to_be_visible()
            found += describe("the player, playing, as alice", axe_violations(page))
        page.context.close()
        assert errors == [], f"script errors as {role}: {errors}"
    assert checked > 40
    assert not found, f"{len(found)} lines of axe findings ({size}, {language}):\n" + "\n".join(
        found
    )


# --- What axe does not see, or does not measure against our own rules -----------------------

CONTRAST = """(selector) => {
  const channel = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => channel(Number(v) / 255));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].map((el) => {
    const style = getComputedStyle(el);
    const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort();
    return { day: el.textContent.trim(), ratio: (b + 0.05) / (a + 0.05), level: el.className };
  });
}"""


def test_the_calendars_day_numbers_are_readable(browser, live_server, patient, bob):
    """The day numbers are hidden from screen readers (each day's cell says it in words), so
    axe leaves them out: their contrast with their day's colour is measured here, on the
    patient's history and on her clinician's page, on days with 0, 1, 2 and 3 sessions."""
    from tests.sessions import practise

    for days, count in ((1, 1), (2, 2), (3, 3)):
        for _ in range(count):
            practise(patient, days_ago=days)
    pages = [(patient, "/history/"), (bob, f"/clinic/patients/{patient.pk}/")]
    for user, url in pages:
        page, errors = logged_in(browser, live_server, user, PHONE)
        page.goto(f"{live_server.url}{url}")
        cells = page.evaluate(CONTRAST, ".heatmap .heat")
        assert {cell["level"].split()[1] for cell in cells} >= {f"heat--{n}" for n in range(4)}
        dim = [cell for cell in cells if cell["ratio"] < 4.5]
        assert dim == [], f"{url}: day numbers under 4.5:1: {dim[:5]}"
        page.context.close()
        assert errors == []


def test_the_weekly_check_in_answers_are_44_px_targets_on_a_phone(browser, live_server, patient):
    page, errors = logged_in(browser, live_server, cleared(patient), PHONE)
    page.goto(f"{live_server.url}/checkins/weekly/")
    boxes = [box.bounding_box() for box in page.locator(".peg__value").all()]
    assert len(boxes) == 33  # three questions, 0 to 10
    small = [box for box in boxes if box["width"] < 44 or box["height"] < 44]
    assert small == [], f"{len(small)} answers smaller than 44 px: {small[:3]}"
    # Still picked by a tap on the number.
    page.locator(".peg__value").nth(4).click()
    expect(page.locator(".peg__value input").nth(4)).to_be_checked()
    assert errors == []


def test_starting_the_player_moves_focus_to_the_exercises_name(browser, live_server, patient):
    page, errors = logged_in(browser, live_server, cleared(patient), PHONE)
    page.goto(f"{live_server.url}/today/play/")
    page.locator('[data-pain-scale="before"] button[data-value="2"]').click()
    heading = page.get_by_role("heading", level=1).and_(page.locator("#play-name"))
    expect(heading).not_to_be_empty()
    expect(heading).to_be_focused()
    assert errors == []
