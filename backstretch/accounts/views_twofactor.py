"""Two-step sign-in pages: set up an authenticator app, type a code after the password, see
(or make new) recovery codes, and, for a patient, turn it off again. The rules are in
``twofactor``; the middleware that sends people here is ``core.second_factor``."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import twofactor
from .forms_twofactor import CodeForm
from .requests import user_of
from .throttle import code_allowed, code_failed, locked_out

NEW_CODES = "twofactor_new_codes"


def next_of(request: HttpRequest) -> str:
    """Where to go once the second step is done: a page of this site, else the start page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, {request.get_host()}, request.is_secure()
    ):
        return wanted
    return reverse("home")


def _with_next(name: str, target: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': target})}" if target != reverse("home") else url


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # secrets and codes must not linger in a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then type a code to show the app works."""
    user = user_of(request)
    target = next_of(request)
    if twofactor.has_second_factor(user):
        messages.info(request, _("Two-step sign-in is already on for your account."))
        return redirect("accounts:profile")
    device = twofactor.pending_app_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not code_allowed(request, user.email):
            return locked_out(request)
        if form.is_valid():
            if twofactor.confirm_app_device(device, form.cleaned_data["code"]):
                django_otp.login(request, device)
                request.session[twofactor.NEEDED] = True
                request.session[NEW_CODES] = twofactor.new_recovery_codes(user)
                return redirect(_with_next("accounts:recovery_codes", target))
            form.add_error(
                "code",
                _(
                    "That code does not match. Type the six digits the app shows now; if it "
                    "keeps failing, check that your phone's clock is set automatically."
                ),
            )
            code_failed(request, user.email)
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_of(device),
        "required": twofactor.must_use(user),
        "pending": not twofactor.is_verified(request) and twofactor.must_use(user),
        "next": target,
    }
    status = 422 if form.errors else 200
    return _no_store(render(request, "accounts/twofactor_setup.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app, or a recovery code."""
    user = user_of(request)
    target = next_of(request)
    if twofactor.is_verified(request) or not twofactor.needed(user):
        return redirect(target)
    if not twofactor.has_second_factor(user):
        return redirect(_with_next("accounts:twofactor_setup", target))
    form = CodeForm(request.POST if request.method == "POST" else None, recovery=True)
    if request.method == "POST":
        if not code_allowed(request, user.email):
            return locked_out(request)
        if form.is_valid():
            device = twofactor.check_code(user, form.cleaned_data["code"])
            if device is not None:
                django_otp.login(request, device)
                request.session[twofactor.NEEDED] = True
                if isinstance(device, StaticDevice):
                    left = twofactor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code: it will not work again. You have %(n)d "
                            "left; make new ones on your profile page.",
                            "You used a recovery code: it will not work again. You have %(n)d "
                            "left; make new ones on your profile page.",
                            left,
                        )
                        % {"n": left},
                    )
                return redirect(target)
            form.add_error(
                "code",
                _(
                    "That code does not match. Type the six digits the app shows now (they "
                    "change every 30 seconds), or one of your recovery codes."
                ),
            )
            code_failed(request, user.email)
    status = 422 if form.errors else 200
    return _no_store(
        render(
            request,
            "accounts/twofactor_verify.html",
            {"form": form, "next": target, "pending": True},
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET: the codes made a moment ago, shown this once. POST: new codes replace the old."""
    user = user_of(request)
    if request.method == "POST":
        if not twofactor.has_second_factor(user) or not twofactor.is_verified(request):
            raise Http404("No two-step sign-in to make codes for.")
        codes = twofactor.new_recovery_codes(user)
        fresh = False
    else:
        codes = request.session.pop(NEW_CODES, None)
        if not codes:
            return redirect("accounts:profile")
        fresh = True
    shown = [twofactor.shown_code(code) for code in codes]
    context = {
        "codes": shown,
        "as_text": "\r\n".join(shown) + "\r\n",
        "fresh": fresh,
        "next": next_of(request),
    }
    return _no_store(render(request, "accounts/recovery_codes.html", context))


@require_POST
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    """A patient turns two-step sign-in off, with their password. Staff cannot."""
    user = user_of(request)
    if twofactor.must_use(user):
        raise Http404("Clinic staff keep two-step sign-in on.")
    if not twofactor.has_second_factor(user):
        return redirect("accounts:profile")
    password = request.POST.get("password", "")
    # Through authenticate(), so wrong tries count towards the lock-out (django-axes).
    if not password or authenticate(request, username=user.email, password=password) != user:
        messages.error(
            request, _("Type your password to turn two-step sign-in off. That one did not match.")
        )
        return redirect(reverse("accounts:profile") + "#two-step")
    twofactor.remove_second_factor(user)
    request.session[twofactor.NEEDED] = False
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Two-step sign-in is off. Your password alone signs you in."))
    return redirect(reverse("accounts:profile") + "#two-step")
