"""Printables: a patient's routine as a paper handout, and a progress report for the next visit.

Both pages read well on screen and print on one or two sheets (``static/css/print.css``).
Views stay thin: an access check, then the plain helpers in ``handout.py`` and ``report.py``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from backstretch import access
from backstretch.accounts.requests import user_of
from backstretch.practice.decorators import practice_allowed

from .handout import handout_context
from .report import parse_days, report_context
from .services import audit


@login_required
@require_safe
def handout(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    if profile.clinic is not None:
        audit(user, profile.user, profile.clinic, "print", "handout")
    # The handout is the patient's to read: printed in their language, whatever the clinician's.
    with translation.override(profile.user.language or translation.get_language()):
        response = render(request, "clinic/handout.html", handout_context(request, profile))
        response["Content-Language"] = translation.get_language()
    return response


@practice_allowed
def my_handout(request: HttpRequest) -> HttpResponse:
    """The patient's own copy: same page, no clinician portal involved."""
    profile = user_of(request).patient
    context = handout_context(request, profile) | {"own": True}
    return render(request, "clinic/handout.html", context)


@login_required
@require_safe
def report(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    days, problem = parse_days(request.GET.get("days"))
    if profile.clinic is not None:
        audit(user, profile.user, profile.clinic, "view", "progress report")
    context = report_context(profile, days) | {"problem": problem}
    return render(request, "clinic/report.html", context, status=400 if problem else 200)
