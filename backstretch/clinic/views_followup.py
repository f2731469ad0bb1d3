"""Closing the loop on one patient: a reason to call marked dealt with, a red flag cleared,
STarT Back asked for; and the switch for how the camera times their holds.

All are clinical changes: asked of the access policy first, and written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import user_of
from backstretch.outcomes import services as outcomes

from . import triage
from .dashboard import facts_for, gather
from .dashboard_words import ICON_SPRITE, reason_lines
from .forms_followup import CameraSwitchForm, ClearRedFlagForm, DealtWithForm
from .models import DealtWith
from .services import audit

KINDS = frozenset(rule.__name__.lstrip("_") for rule in triage.RULES)


def _current_reason(profile: PatientProfile, kind: str) -> triage.Reason | None:
    today = profile.user.today()
    facts = facts_for(profile, today, gather([profile], {profile.user_id: today}))
    return next((r for r in triage.reasons(facts) if r.kind == kind), None)


@login_required
@require_http_methods(["GET", "POST"])
def dealt_with(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    profile = access.get_patient_for_clinician(request.user, patient_id)
    if kind not in KINDS:
        raise Http404("No such reason.")
    clinician, patient = user_of(request), profile.user
    assert profile.clinic is not None  # patients_for_clinician only finds clinic patients
    reason = _current_reason(profile, kind)
    if reason is None or not reason.may_be_dealt_with:
        messages.info(
            request,
            _("That reason is no longer on %(name)s's row: nothing to mark.") % {"name": patient},
        )
        return redirect("clinic:dashboard")
    form = DealtWithForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        DealtWith.objects.create(
            clinic=profile.clinic,
            patient=patient,
            kind=kind,
            note=form.cleaned_data["note"],
            by=clinician,
        )
        audit(clinician, patient, profile.clinic, "change", f"dashboard reason dealt with: {kind}")
        messages.success(
            request,
            _("Marked as dealt with. It comes back if %(name)s reports something new.")
            % {"name": patient},
        )
        return redirect("clinic:dashboard")
    audit(clinician, patient, profile.clinic, "view", f"dashboard reason: {kind}")
    (line,) = reason_lines([reason], profile.user.today())
    context = {
        "patient": patient,
        "profile": profile,
        "reason": line,
        "form": form,
        "icon_sprite": ICON_SPRITE,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "clinic/dealt_with.html", context, status=status)


@require_POST
@login_required
def clear_red_flag(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A clinician of the patient's clinic lifts the lock red-flag answers put on the routine."""
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinician, patient = user_of(request), profile.user
    assert profile.clinic is not None
    screen = access.latest_screen(patient)
    if screen is None or screen.unlocks_routine:
        messages.info(
            request, _("Nothing to clear: %(name)s's routine is not locked.") % {"name": patient}
        )
        return redirect("clinic:patient", patient.pk)
    form = ClearRedFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["checked"]))
        return redirect(reverse("clinic:patient", args=[patient.pk]) + "#red-flag")
    screen.clear(by=clinician)
    audit(clinician, patient, profile.clinic, "change", f"red-flag lock cleared ({screen.urgency})")
    messages.success(
        request, _("Cleared. %(name)s can do their routine again.") % {"name": patient}
    )
    return redirect("clinic:patient", patient.pk)


@require_POST
@login_required
def request_start_back(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Ask the patient for the STarT Back questions (on their Today page)."""
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinician = user_of(request)
    assert profile.clinic is not None
    _asked, created = outcomes.request_start_back(profile.user, clinician)
    what = "STarT Back asked for" if created else "STarT Back asked for (already open)"
    audit(clinician, profile.user, profile.clinic, "change", what)
    return redirect("clinic:patient", patient_id=patient_id)


@require_POST
@login_required
def camera_switch(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Whether the player's camera mode starts each hold only when it sees the patient in
    position (the player reads ``PatientProfile.camera_waits_for_position``)."""
    profile = access.get_patient_for_clinician(request.user, patient_id)
    clinician, patient = user_of(request), profile.user
    assert profile.clinic is not None
    form = CameraSwitchForm(request.POST, instance=profile)
    if not form.is_valid():  # a checkbox cannot be wrong; said all the same
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(reverse("clinic:patient", args=[patient.pk]) + "#camera")
    form.save(commit=False)  # sets it on ``profile``
    # Only the switch: a profile change the patient makes meanwhile is not written over.
    profile.save(update_fields=["camera_waits_for_position"])
    waits = profile.camera_waits_for_position
    audit(
        clinician,
        patient,
        profile.clinic,
        "change",
        "camera waits for position: " + ("on" if waits else "off"),
    )
    if waits:
        said = _("Saved. With the camera, each hold's timer waits until %(name)s is in position.")
    else:
        said = _("Saved. With the camera, each hold's timer starts without waiting for %(name)s.")
    messages.success(request, said % {"name": patient})
    return redirect(reverse("clinic:patient", args=[patient.pk]) + "#camera")
