"""The profile page: who you are, and your personal API tokens (make, see, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .requests import user_of
from .tokens import create_token, revoke_token, tokens_of

NAME_LIMIT = 60


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    new_secret = None
    error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if len(name) > NAME_LIMIT:
            error = _("Keep the label to %(n)d characters or fewer.") % {"n": NAME_LIMIT}
        else:
            _token, new_secret = create_token(user, name)
            name = ""
    response = render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens_of(user),
            "new_secret": new_secret,
            "error": error,
            "name": name,
            "name_limit": NAME_LIMIT,
        },
        status=422 if error else 200,
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
