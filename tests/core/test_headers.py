"""Headers that keep health data where it belongs: no-store on every answer of the URL table
(pages and API, every role), Clear-Site-Data on logging out, a Content-Security-Policy on
pages, and templates the policy can keep (no inline script, style or event handler).

The policy in a real browser, page by page: tests/browser/test_csp.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from backstretch.core.views import server_error
from tests.test_permissions import ROLES, TABLE, url_for
from tests.test_permissions import cast as permission_cast  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Answers whose view chose a lifetime of its own, each with its reason; every other answer,
# whatever its status, is no-store.
OWN_LIFETIME = {
    "practice:manifest": "public, max-age=3600",  # the same for everyone
    "practice:picture": "public, max-age=86400",  # an icon
    "practice:apple-touch-icon": "public, max-age=86400",  # an icon
    "practice:service-worker": "no-cache",  # browsers look for a new worker on every visit
    # The calendar feed: times of day only, for the patient's own calendar app (private: no
    # shared cache), which polls it.
    "reminders:feed": "private, max-age=300",
}


def test_every_answer_of_the_url_table_is_no_store_unless_its_view_says_otherwise(request):
    users, kwargs = request.getfixturevalue("permission_cast")
    wrong = []
    for name in TABLE:
        url = url_for(name, kwargs)
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(users[role])
            response = client.get(url)
            got = response.get("Cache-Control", "")
            wanted = OWN_LIFETIME.get(name, "no-store")
            fine = "no-store" in got.split(", ") if wanted == "no-store" else got == wanted
            if not fine:
                wrong.append(f"{url} as {role} ({response.status_code}): {got!r}, not {wanted!r}")
    assert wrong == [], "\n".join(wrong)


def test_an_api_write_and_an_api_error_are_no_store(patient, client):
    assert Client().get("/api/v1/me/today")["Cache-Control"] == "no-store"  # 401
    client.force_login(patient)
    answer = client.post("/api/v1/me/sessions", {}, content_type="application/json")
    assert answer.status_code == 422
    assert answer["Cache-Control"] == "no-store"


def test_logging_out_tells_the_browser_to_forget_what_it_kept(patient, client):
    client.force_login(patient)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_pages_have_a_policy_and_the_nonce_only_where_used(patient, client):
    page = client.get("/library/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "nonce-" not in policy  # no inline script on this page, so no nonce either


def test_the_error_page_styles_itself_with_the_nonce(client):
    request = client.get("/library/").wsgi_request
    request.csp_nonce = "abc123"  # what the middleware puts on every request
    page = server_error(request).content.decode()
    assert '<style nonce="abc123">' in page


ROOT = Path(__file__).resolve().parent.parent.parent / "backstretch"
# E-mail is read in mail clients, where no policy applies and inline style is the norm.
EMAIL = re.compile(r"email")
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>"),
    "a <style> element": re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"),
    "a style attribute": re.compile(r"\sstyle=[\"']"),
    "an event handler attribute": re.compile(r"\son[a-z]+=[\"']"),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
NONCED = re.compile(r"<script type=\"importmap\" nonce=\"\{\{ request\.csp_nonce \}\}\">")


def test_templates_have_nothing_inline_the_policy_would_block():
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        if EMAIL.search(path.name):
            continue
        text = NONCED.sub("", path.read_text())
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}: {match.group(0)!r}")
    assert found == [], "\n".join(found)
