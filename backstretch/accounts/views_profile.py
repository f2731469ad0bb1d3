"""The profile page: who you are, your language, your password, and your personal API tokens
(make with your password typed again, see with their expiry, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import twofactor
from .forms import LanguageForm
from .requests import user_of
from .tokens import create_token, lifetime, revoke_token, tokens_of

NAME_LIMIT = 60


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    new_secret = None
    error = password_error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        password = request.POST.get("password", "")
        if len(name) > NAME_LIMIT:
            error = _("Keep the label to %(n)d characters or fewer.") % {"n": NAME_LIMIT}
        if not password:
            password_error = _("Type your password to make a token.")
        # Through authenticate(), so wrong tries here count towards a lock-out (django-axes)
        # like the log-in page's: a borrowed session cannot guess the password here either.
        elif authenticate(request, username=user.email, password=password) != user:
            password_error = _("That is not your password. Type it again.")
        if not error and not password_error:
            _token, new_secret = create_token(user, name)
            name = ""
    response = render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens_of(user),
            "new_secret": new_secret,
            "error": error,
            "password_error": password_error,
            "name": name,
            "name_limit": NAME_LIMIT,
            "token_days": lifetime().days,
            "two_step_on": twofactor.has_second_factor(user),
            "two_step_required": twofactor.must_use(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user),
        },
        status=422 if error or password_error else 200,
    )
    response["Cache-Control"] = "no-store"  # the new secret must not linger in a cache
    return response


@require_POST
@login_required
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if not revoke_token(user_of(request), token_id):
        raise Http404("No such token.")
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("accounts:profile")


@require_POST
@login_required
def language(request: HttpRequest) -> HttpResponse:
    """Change the language of the person's pages, e-mails and spoken routine."""
    user = user_of(request)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["language"]))
        return redirect("accounts:profile")
    user.language = form.cleaned_data["language"]
    user.save(update_fields=["language"])
    translation.activate(user.language)  # the message below, in the language just chosen
    messages.success(request, _("Language saved."))
    return redirect("accounts:profile")
