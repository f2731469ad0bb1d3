from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from backstretch import access

from .forms import PASSWORD_BACKEND, PreferencesForm, SignUpForm
from .limits import refuse_wait, too_many
from .models import User
from .verification import send_signup_attempt_note, send_verification

SENT_TO = "signup_sent_to"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new address: the account is made, used at once, and a link to confirm the address is
    mailed (reminder e-mails wait for it). A taken address: nobody is logged in, its owner gets
    a note, and the page says only "check your e-mail" (docs/accounts.md)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = refuse_wait(request, "signup", email)
        if wait is not None:
            return too_many(request, wait)
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            try:
                user = form.save()
            except IntegrityError:  # the same address signed up a moment ago
                owner = User.objects.filter(email__iexact=email).first()
            else:
                login(request, user, backend=PASSWORD_BACKEND)
                send_verification(user)
                return redirect("safety:screen")
        if owner is not None:
            send_signup_attempt_note(owner)
        request.session[SENT_TO] = email
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SENT_TO)
    if not email:
        return redirect("accounts:signup")
    return render(request, "accounts/signup_sent.html", {"email": email})


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


class LogoutView(auth_views.LogoutView):
    """Django's log-out, and the browser forgets everything this site kept on the device: the
    service worker and its copies of pages, the outbox of unsent sessions, the HTTP cache.
    On a shared phone nothing of the last person stays. The page's script sends waiting
    sessions first, or warns that they would be lost (pwa/app.js, docs/browser-privacy.md)."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
