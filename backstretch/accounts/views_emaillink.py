"""Signing in by an e-mailed link (patients): ask for one, be told to check the inbox
(whatever the address), open it and press one button. See ``emaillink``."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .emaillink import LINK_MINUTES, Link, read_link, send_link
from .forms import PASSWORD_BACKEND
from .forms_twofactor import EmailLinkForm
from .limits import refuse_wait, too_many
from .models import User


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = EmailLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = refuse_wait(request, "link", email)
        if wait is not None:
            return too_many(request, wait)
        send_link(email)  # sent or not, the answer is the same: nobody learns who has an account
        return redirect("accounts:email_link_sent")
    return render(request, "accounts/email_link.html", {"form": form, "minutes": LINK_MINUTES})


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/email_link_sent.html", {"minutes": LINK_MINUTES})


@require_http_methods(["GET", "POST"])
def use(request: HttpRequest, signed: str) -> HttpResponse:
    """GET shows one button (so a mail scanner that opens links does not use it up); the
    button's POST signs in. A used, expired or broken link says so and offers a new one."""
    state, user = read_link(signed)
    if state is not Link.GOOD or user is None:
        status = 404 if state is Link.BAD else 410
        return render(
            request,
            "accounts/email_link_unusable.html",
            {"state": state.value, "minutes": LINK_MINUTES},
            status=status,
        )
    if request.method == "GET":
        return render(request, "accounts/email_link_use.html", {"email": user.email})
    login(request, user, backend=PASSWORD_BACKEND)
    if not user.email_verified:  # the link came to this address: it is theirs
        User.objects.filter(pk=user.pk).update(email_verified=True)
    return redirect("home")
