"""``{% pwa_head %}``: base.html's app manifest links and, for a signed-in person, the offline
script with its words, kept per language and kind of reader in each process's own memory
(settings.FRAGMENTS). It names its reader (the outbox belongs to its owner): the kept HTML
holds a placeholder, replaced by the reader's id on every page. About twenty translated words
on every page, rendered once (bench/today_page.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..today import kept_html

register = template.Library()


def _plain(context: template.Context, name: str) -> str:
    assert context.template is not None
    return context.template.engine.get_template(name).render(context)


# Raise PWA_FORMAT when _pwa_head.html changes.
PWA_FORMAT = 2
# Stands for the reader's id in the kept HTML (letters only: escaping leaves it be).
OWNER_PLACEHOLDER = "ownerPLACEHOLDERpwa"


@register.simple_tag(takes_context=True)
def pwa_head(context: template.Context) -> SafeString:
    if context.get("request") is None:  # rendered without its request: not kept
        return mark_safe(_plain(context, "practice/_pwa_head.html"))
    user = context.get("user")
    owner = user.pk if user is not None and user.is_authenticated else None
    profile = getattr(user, "patient", None) if owner is not None else None
    clinic = bool(profile is not None and profile.clinic_id)
    key = f"pwa-head:{PWA_FORMAT}:{get_language() or ''}:{owner is not None}:{clinic}"

    def build() -> dict[str, Any]:
        return {"owner": OWNER_PLACEHOLDER}  # the context processors give it the user

    kept = kept_html(
        context["request"], key, "practice/_pwa_head.html", build, store=caches[settings.FRAGMENTS]
    )
    return mark_safe(kept.replace(OWNER_PLACEHOLDER, str(owner)))
