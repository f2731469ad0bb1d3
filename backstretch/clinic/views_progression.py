"""Progression on the clinician's side: the prescription's settings, and answers to proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import user_of
from backstretch.outcomes.forms_progression import (
    DecisionForm,
    ProgressionSettingsForm,
    settings_context,
)
from backstretch.outcomes.models import ProgressionProposal, ProgressionSettings
from backstretch.outcomes.progression_services import OutOfDate, decide_proposal, settings_for
from backstretch.routines.models import Routine
from backstretch.routines.services import active_routine

from .models import Clinic
from .services import audit


def _clinic_of(profile: PatientProfile) -> Clinic:
    if profile.clinic is None:  # a clinician reaches only patients of their own clinics
        raise Http404("No such patient.")
    return profile.clinic


def _routine_of(profile: PatientProfile) -> Routine:
    routine = active_routine(profile.user)
    if routine is None:
        raise Http404("No routine yet.")
    return routine


@login_required
@require_http_methods(["GET", "POST"])
def progression_settings(request: HttpRequest, patient_id: int) -> HttpResponse:
    """How this prescription follows the pain, and every proposal so far with its fate."""
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinic = _clinic_of(profile)
    user = user_of(request)
    routine = active_routine(profile.user)
    form = None
    status = 200
    if request.method == "POST":
        if routine is None:
            raise Http404("No routine yet.")
        form = ProgressionSettingsForm(request.POST, instance=settings_for(routine))
        if form.is_valid():
            saved: ProgressionSettings = form.save(commit=False)
            saved.routine = routine
            saved.updated_by = user
            saved.save()
            audit(user, profile.user, clinic, "change", f"progression: {saved.mode}")
            messages.success(
                request,
                _("Progression saved: %(mode)s.") % {"mode": saved.get_mode_display()},
            )
            if request.POST.get("next") == "builder":
                return redirect("clinic:routine", patient_id)
            return redirect("clinic:progression", patient_id)
        status = 400
    else:
        audit(user, profile.user, clinic, "view", "progression")
    proposals = (
        ProgressionProposal.objects.filter(routine=routine)
        .select_related("based_on", "result", "decided_by")
        .order_by("-created_at")[:50]
        if routine
        else []
    )
    context = {
        "profile": profile,
        "patient": profile.user,
        "proposals": proposals,
        **settings_context(routine, form),
    }
    return render(request, "clinic/progression.html", context, status=status)


@require_POST
@login_required
def decide(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Accept (a new version with the proposal's reason) or decline a pending proposal."""
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinic = _clinic_of(profile)
    user = user_of(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    routine = _routine_of(profile)
    proposal = ProgressionProposal.objects.filter(
        pk=form.cleaned_data["proposal"], routine=routine
    ).first()
    if proposal is None:
        raise Http404("No such proposal.")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        decide_proposal(proposal, user, accept)
    except OutOfDate:
        messages.warning(
            request,
            _("That proposal is out of date: the routine changed or it was answered already."),
        )
        return redirect("clinic:patient", patient_id)
    audit(
        user,
        profile.user,
        clinic,
        "change",
        f"progression proposal {proposal.pk}: " + ("accepted" if accept else "declined"),
    )
    if accept:
        messages.success(request, _("Saved as a new version. The patient sees the reason."))
    else:
        messages.success(request, _("Declined. The routine stays as it is."))
    return redirect("clinic:patient", patient_id)
