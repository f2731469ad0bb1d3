"""``{% site_nav %}``: the menu's links on every page, kept in Django's cache.

The links depend only on the language, the page (which link is current) and what the reader
may see (patient pages, the clinic portal, messages and how many are unread, logged in or
not), so the rendered menu is kept per those facts: no name, no id, nothing of one person's
in it but the unread count that is part of its key. Each process keeps it in its own memory
(settings.FRAGMENTS): it never goes stale, and asking a shared cache would cost a round trip.
Its log-out form carries the request's own CSRF token (practice.today.kept_html). Rendering it
cost about a third of a cached Today page (bench/today_page.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from backstretch.practice.today import kept_html

register = template.Library()


def _plain(context: template.Context, name: str) -> str:
    assert context.template is not None
    return context.template.engine.get_template(name).render(context)


# Raise NAV_FORMAT when _site_nav.html changes, for shared caches.
NAV_FORMAT = 1


def _asked(context: template.Context, name: str) -> object:
    value = context.get(name)
    return value() if callable(value) else value


@register.simple_tag(takes_context=True)
def site_nav(context: template.Context) -> SafeString:
    request = context.get("request")
    if request is None:  # a page rendered without its request: the plain menu, not kept
        return mark_safe(_plain(context, "_site_nav.html"))
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    logged_in = bool(user is not None and user.is_authenticated)
    # Asked as the menu asks them: the messages only of someone who sees patient pages.
    patient_pages = bool(_asked(context, "shows_patient_pages"))
    thread = patient_pages and bool(_asked(context, "has_message_thread"))
    facts = (
        logged_in,
        patient_pages,
        logged_in and bool(_asked(context, "works_at_a_clinic")),
        thread,
        _asked(context, "unread_messages") if thread else 0,
        match.url_name if match else None,
        match.namespace if match else None,
    )
    digest = hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()
    key = f"nav:{NAV_FORMAT}:{get_language() or ''}:{digest}"

    def build() -> dict[str, Any]:
        return {}  # the context processors give the menu all it shows

    return kept_html(request, key, "_site_nav.html", build, store=caches[settings.FRAGMENTS])
