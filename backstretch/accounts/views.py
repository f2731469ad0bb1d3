from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backstretch import access

from .forms import PreferencesForm, SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        return redirect("safety:screen")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    """Preferences for a logged-in user who is not set up as a patient yet. Clinic staff who
    are not patients never get here: the installed app's start page (/today/) sends them to
    their clinic instead of making them a patient."""
    if access.is_patient(request.user):
        return redirect("practice:today")
    if access.works_at_a_clinic(request.user):
        return redirect("clinic:dashboard")
    initial = {"time_zone": getattr(request.user, "time_zone", "UTC")}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated
        form.save_profile(request.user)
        return redirect("safety:screen")
    return render(request, "accounts/onboarding.html", {"form": form})
