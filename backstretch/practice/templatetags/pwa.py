"""``{% pwa_head %}``: base.html's app manifest links and, for a signed-in person, the offline
script with its words, kept in Django's cache per language and person (it names them: the
outbox belongs to its owner). About twenty translated words on every page, rendered once
(bench/today_page.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..today import kept_html

register = template.Library()


def _plain(context: template.Context, name: str) -> str:
    assert context.template is not None
    return context.template.engine.get_template(name).render(context)


# Raise PWA_FORMAT when _pwa_head.html changes, for shared caches.
PWA_FORMAT = 1


@register.simple_tag(takes_context=True)
def pwa_head(context: template.Context) -> SafeString:
    if context.get("request") is None:  # rendered without its request: not kept
        return mark_safe(_plain(context, "practice/_pwa_head.html"))
    user = context.get("user")
    owner = user.pk if user is not None and user.is_authenticated else None
    profile = getattr(user, "patient", None) if owner is not None else None
    clinic = bool(profile is not None and profile.clinic_id)
    key = f"pwa-head:{PWA_FORMAT}:{get_language() or ''}:{owner}:{clinic}"

    def build() -> dict[str, Any]:
        return {}  # the context processors give it the user

    return kept_html(context["request"], key, "practice/_pwa_head.html", build)
