"""The HTML pages of the permission matrix (tests/test_permissions.py's TABLE), each with the
roles that may see it, for browser checks that go over every page (accessibility, reflow).

A page is in when the table answers 200 to a role's GET and the answer is HTML. Adding a row
to the table adds its page here: nothing to list twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import translation

from tests.browser.pages import logged_in
from tests.sessions import practise
from tests.test_permissions import ROLES, TABLE, url_for

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


# (URL name, role) → whether its page is HTML: the same whatever the ids, so asked once a run.
_IS_HTML: dict[tuple[str, str], bool] = {}


def html_pages(users: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, list[str]]:
    """Role → the URLs of the HTML pages it may see, in the table's order."""
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    # The pages switch this thread's language to their reader's: it is put back after.
    with translation.override(translation.get_language()):
        _html_pages(users, kwargs, pages)
    return pages


def _html_pages(users: dict[str, Any], kwargs: dict[str, Any], pages: dict[str, list[str]]) -> None:
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        for name, row in TABLE.items():
            if row.get[ROLES.index(role)] != 200:
                continue
            url = url_for(name, kwargs)
            if (name, role) not in _IS_HTML:
                content_type = client.get(url)["Content-Type"]
                _IS_HTML[name, role] = content_type.startswith("text/html")
            if _IS_HTML[name, role]:
                pages[role].append(url)


def with_history(alice: Any) -> None:
    """Alice with a few weeks of sessions, so her history, calendar and her clinician's page
    show what a real patient's do."""
    for days in (1, 2, 4, 8, 9, 15):
        practise(alice, days_ago=days, pain_before=5, pain_after=3)


def in_language(users: dict[str, Any], language: str) -> None:
    for user in users.values():
        user.language = language
        user.save(update_fields=["language"])


def page_as(browser: Any, live_server: Any, users: dict[str, Any], role: str, **options: Any):
    """One browser context and page for ``role`` (logged in unless anonymous) and its script
    errors."""
    if role == "anonymous":
        context = browser.new_context(**options)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page, errors
    return logged_in(browser, live_server, users[role], **options)
