"""Progression on the patient's side: "OK" to a changed routine."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from backstretch.accounts.requests import user_of
from backstretch.practice.decorators import practice_allowed
from backstretch.routines.models import Routine
from backstretch.routines.services import active_routine

from .progression_services import change_notice


@require_POST
@practice_allowed
def notice_seen(request: HttpRequest) -> HttpResponse:
    """The patient has read "your routine changed": stop showing it for this version."""
    user = user_of(request)
    routine = active_routine(user)
    version = change_notice(routine)
    if routine is not None and version is not None:
        Routine.objects.filter(pk=routine.pk).update(notice_seen_number=version.number)
    return redirect("practice:today")
