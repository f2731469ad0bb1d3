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
