"""Progression panels that other apps' pages include with one line each.

``{% progression_panel profile %}`` on the clinician's patient page (pending proposals with
Accept/Decline, a re-screen, the latest changes); ``{% progression_settings_panel profile %}``
on the routine builder; ``{% routine_change_notice %}`` on the patient's today page.
"""

from __future__ import annotations

from typing import Any

from django import template

from backstretch.accounts.models import PatientProfile, User
from backstretch.routines.services import active_routine
from backstretch.safety.rescreen import latest_request

from ..forms_progression import settings_context
from ..models import ProgressionProposal
from ..progression_services import change_notice, settings_for

register = template.Library()
RECENT = 5


@register.inclusion_tag("outcomes/_patient_panel.html", takes_context=True)
def progression_panel(context: template.Context, profile: PatientProfile) -> dict[str, Any]:
    routine = active_routine(profile.user)
    proposals = (
        list(
            ProgressionProposal.objects.filter(routine=routine)
            .select_related("decided_by", "result")
            .order_by("-created_at")[:20]
        )
        if routine
        else []
    )
    rescreen = latest_request(profile.user)
    return {
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
        "patient": profile.user,
        "routine": routine,
        "mode": settings_for(routine) if routine else None,
        "pending": [p for p in proposals if p.status == ProgressionProposal.Status.PENDING],
        "recent": [p for p in proposals if p.status != ProgressionProposal.Status.PENDING][:RECENT],
        "rescreen": rescreen,
    }


@register.inclusion_tag("outcomes/_builder_panel.html", takes_context=True)
def progression_settings_panel(
    context: template.Context, profile: PatientProfile
) -> dict[str, Any]:
    routine = active_routine(profile.user)
    return {
        "csrf_token": context.get("csrf_token"),
        "patient": profile.user,
        **settings_context(routine),
    }


@register.inclusion_tag("outcomes/_change_notice.html", takes_context=True)
def routine_change_notice(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    version = None
    if isinstance(user, User):
        version = change_notice(active_routine(user))
    return {
        "csrf_token": context.get("csrf_token"),
        "version": version,
        "by_clinician": bool(version and version.created_by_id),
    }
