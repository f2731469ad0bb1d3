"""Confirming an e-mail address: the mailed link, and sending it again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import User
from .requests import user_of
from .verification import LINK_DAYS, send_verification, user_for_verify_token

# One link a minute per person is plenty, and keeps a stuck button from filling an inbox.
SEND_AGAIN_EVERY_SECONDS = 60


@require_GET
def verify(request: HttpRequest, signed: str) -> HttpResponse:
    """The link from the e-mail: no log-in needed (opening it is the proof)."""
    user = user_for_verify_token(signed)
    if user is None:
        return render(request, "accounts/verify_unusable.html", {"days": LINK_DAYS}, status=404)
    if not user.email_verified:
        User.objects.filter(pk=user.pk).update(email_verified=True)
    return render(request, "accounts/verified.html", {"email": user.email})


@require_POST
@login_required
def send_again(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "accounts:profile"
    if user.email_verified:
        messages.success(request, _("Your e-mail address is already confirmed."))
    elif not cache.add(f"verify-sent:{user.pk}", True, SEND_AGAIN_EVERY_SECONDS):
        messages.success(
            request,
            _("We sent a link less than a minute ago. Look in your inbox (and spam folder)."),
        )
    elif send_verification(user):
        messages.success(
            request,
            _("We sent a new link to %(email)s. It works for %(days)d days.")
            % {"email": user.email, "days": LINK_DAYS},
        )
    else:
        cache.delete(f"verify-sent:{user.pk}")
        messages.success(
            request, _("We could not send the e-mail just now. Try again in a few minutes.")
        )
    return redirect(back)
