"""Where a patient practises (floor, bed or chair), changed on their profile page: their
self-guided routine follows it; a routine a clinician set stays as the clinician set it. And
the pace of their guided session (usual or slower), kept until they change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backstretch import access
from backstretch.accounts.forms import PaceForm, PositionForm
from backstretch.accounts.requests import user_of
from backstretch.routines.services import POSITION_REASONS, Followed, follow_position


def _said(outcome: Followed, position: str) -> str:
    if outcome is Followed.CHANGED:
        return _("Saved. %(why)s") % {"why": _(POSITION_REASONS[position])}
    if outcome is Followed.PRESCRIBED:
        return _(
            "Saved. Your routine was set by your clinician, so it has not changed. Tell them "
            "if you need it done somewhere else."
        )
    return _("Saved.")


@require_POST
@login_required
def change_position(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.is_patient(user):
        raise Http404("Only a patient chooses where they practise.")
    back = reverse("accounts:profile") + "#where"
    form = PositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["preferred_position"]))
        return redirect(back)
    profile = user.patient
    profile.preferred_position = form.cleaned_data["preferred_position"]
    profile.save(update_fields=["preferred_position"])
    outcome = follow_position(user, profile.preferred_position)
    messages.success(request, _said(outcome, profile.preferred_position))
    return redirect(back)


@require_POST
@login_required
def change_pace(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.is_patient(user):
        raise Http404("Only a patient chooses the pace of their session.")
    back = reverse("accounts:profile") + "#pace"
    form = PaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["pace"]))
        return redirect(back)
    user.patient.pace = form.cleaned_data["pace"]
    user.patient.save(update_fields=["pace"])
    messages.success(request, _("Saved. Your guided session goes at this pace from now on."))
    return redirect(back)
