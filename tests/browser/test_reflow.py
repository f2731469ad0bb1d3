"""Reflow (WCAG 1.4.10) and text resized to 200 % (1.4.4): every page of the permission
matrix, as each role that may see it, fits the screen's width without scrolling sideways at
320 CSS px, and at 640 px with the text twice its size (a 1280 px screen zoomed to 200 %).
A patient's own pages fit a phone (390 px) with the text twice its size too (the root font
doubled, as a phone's largest text setting does). The player is checked while it plays.

A failure names the elements that stick out past the right edge.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.matrix import html_pages, page_as, with_history

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pages_only,
    pytest.mark.django_db(transaction=True),
]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 640, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"320px": NARROW, "200% text": WIDE, "phone, 200% text": PHONE}
DOUBLE_TEXT = "document.documentElement.style.fontSize = '200%'"

# What scrolls sideways, and the deepest elements that reach past the right edge (outside any
# box that scrolls on its own, like a wide table's).
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  // A box that scrolls on its own holds its content, except what is positioned past it.
  const scrollsItself = (el) => {
    const position = getComputedStyle(el).position;
    if (position === "absolute" || position === "fixed") return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !scrollsItself(el);
  });
  // Words that run out of a box narrower than they are: the box that holds them.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const box = node.parentElement;
    if (!node.textContent.trim() || !box || scrollsItself(box)) continue;
    range.selectNodeContents(node);
    if (range.getBoundingClientRect().right > width + 1 && !out.includes(box)) {
      out.push(box);
    }
  }
  const deepest = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
    + [...el.classList].map((c) => `.${c}`).join("");
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: width,
    elements: deepest.slice(0, 6).map((el) => {
      const box = el.getBoundingClientRect();
      return `${name(el)} (${Math.round(box.left)}–${Math.round(box.right)} px)`;
    }),
  };
}"""


def overflow(page) -> str | None:
    found = page.evaluate(OVERFLOW)
    if found is None:
        return None
    return f"scrolls sideways ({found['scrollWidth']} > {found['clientWidth']} px): " + "; ".join(
        found["elements"]
    )


@pytest.mark.parametrize("how", list(SIZES))
def test_every_page_fits_the_width_without_scrolling_sideways(browser, live_server, cast, how):
    users, kwargs = cast
    with_history(users["alice"])
    pages = html_pages(users, kwargs)
    if how.startswith("phone"):
        pages = {"alice": pages["alice"]}
    viewport = SIZES[how]
    found: list[str] = []
    checked = 0
    for role, urls in pages.items():
        page, errors = page_as(browser, live_server, users, role, viewport=viewport)
        if how.endswith("200% text"):
            page.context.add_init_script(
                f"document.addEventListener('DOMContentLoaded', () => {{ {DOUBLE_TEXT}; }})"
            )
        visits = [(url, None) for url in urls]
        if role == "alice":
            visits.append(("/today/play/", "playing"))
        for url, state in visits:
            page.goto(f"{live_server.url}{url}")
            if state == "playing":
                page.locator('[data-action="skip-pain"]').click()
                expect(page.locator("#play-name")).not_to_be_empty()
            if how.endswith("200% text"):
                size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
                assert size == "32px", url
            problem = overflow(page)
            if problem:
                found.append(f"{url}{' (' + state + ')' if state else ''} as {role}: {problem}")
            checked += 1
        page.context.close()
        assert errors == [], f"script errors as {role}: {errors}"
    assert checked > (15 if how.startswith("phone") else 40)
    assert not found, f"{len(found)} pages scroll sideways at {how}:\n" + "\n".join(found)
