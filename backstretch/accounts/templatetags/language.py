"""The profile page's language form, as a piece of its own (``{% your_language %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from backstretch.accounts.forms import LanguageForm, current_language

register = template.Library()


@register.inclusion_tag("accounts/_language.html", takes_context=True)
def your_language(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {
        "csrf_token": context.get("csrf_token"),
        "form": LanguageForm(initial={"language": user.language or current_language()}),
    }
