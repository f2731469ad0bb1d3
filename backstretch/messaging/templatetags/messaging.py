"""Pieces of other apps' pages: the dashboard's unread messages, a patient's unread count."""

from __future__ import annotations

from typing import Any

from django import template

from backstretch import access

from ..models import Thread
from ..queries import unread_by_patient
from ..services import unread_for_clinic

register = template.Library()

UNREAD_SHOWN = 12


@register.inclusion_tag("messaging/_unread_panel.html", takes_context=True)
def unread_from_patients(context: dict[str, Any]) -> dict[str, Any]:
    """Which of the clinician's patients wrote something the clinic has not read: the most
    unread first, at most ``UNREAD_SHOWN`` of them (a queue, not the whole caseload)."""
    user = context["request"].user
    unread = unread_by_patient(access.clinician_clinic_ids(user))
    return {"unread": unread[:UNREAD_SHOWN], "more": max(0, len(unread) - UNREAD_SHOWN)}


@register.simple_tag
def clinic_unread(patient_id: int, clinic_id: int) -> int:
    """Messages from one patient their clinic has not read (for the patient page's link)."""
    thread = Thread.objects.filter(patient_id=patient_id, clinic_id=clinic_id).first()
    return 0 if thread is None else unread_for_clinic(thread)
