"""``{% your_record_panel %}``: "Your data" on the profile page (download, delete)."""

from __future__ import annotations

from typing import Any

from django import template

from backstretch import access

register = template.Library()


@register.inclusion_tag("records/profile_panel.html", takes_context=True)
def your_record_panel(context: template.Context) -> dict[str, Any]:
    return {"show": access.may_take_own_record(context["user"])}
