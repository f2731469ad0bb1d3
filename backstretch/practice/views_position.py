"""Where a patient practises (floor, bed or chair), changed on their profile page: their
self-guided routine follows it; a routine a clinician set stays as the clinician set it. And
the pace of their guided session (usual or slower), kept until they change it."""

from __future__ import annotations

from django import forms
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


def _chosen(request: HttpRequest, form_class: type[forms.Form], field: str, why: str) -> str | None:
    """The patient's valid choice of ``field`` from the profile page's form; None (with the
    form's error shown on the profile) when it is not valid. Only a patient chooses: 404."""
    if not access.is_patient(user_of(request)):
        raise Http404(why)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors[field]))
        return None
    return str(form.cleaned_data[field])


@require_POST
@login_required
def change_position(request: HttpRequest) -> HttpResponse:
    back = reverse("accounts:profile") + "#where"
    chosen = _chosen(
        request, PositionForm, "preferred_position", "Only a patient chooses where they practise."
    )
    if chosen is not None:
        profile = user_of(request).patient
        profile.preferred_position = chosen
        profile.save(update_fields=["preferred_position"])
        outcome = follow_position(profile.user, chosen)
        messages.success(request, _said(outcome, chosen))
    return redirect(back)


@require_POST
@login_required
def change_pace(request: HttpRequest) -> HttpResponse:
    back = reverse("accounts:profile") + "#pace"
    chosen = _chosen(request, PaceForm, "pace", "Only a patient chooses the pace of their session.")
    if chosen is not None:
        profile = user_of(request).patient
        profile.pace = chosen
        profile.save(update_fields=["pace"])
        messages.success(request, _("Saved. Your guided session goes at this pace from now on."))
    return redirect(back)
