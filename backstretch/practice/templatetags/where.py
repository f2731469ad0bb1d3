"""``{% where_you_practise %}``: the profile page's choice of floor, bed or chair, and of the
guided session's pace, for a patient (nothing for anyone else). They post to
``practice:position`` and ``practice:pace``."""

from __future__ import annotations

from typing import Any

from django import template

from backstretch import access
from backstretch.accounts.forms import PaceForm, PositionForm
from backstretch.routines.services import active_routine, is_prescribed

register = template.Library()


@register.inclusion_tag("practice/_where.html", takes_context=True)
def where_you_practise(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not access.is_patient(user):
        return {"patient": False}
    routine = active_routine(user)
    return {
        "patient": True,
        "csrf_token": context.get("csrf_token"),
        "form": PositionForm(initial={"preferred_position": user.patient.preferred_position}),
        "pace_form": PaceForm(initial={"pace": user.patient.pace}),
        "routine": routine,
        "prescribed": routine is not None and is_prescribed(routine),
    }
