"""No page for a session that still owes its second step (``accounts.twofactor``).

Clinic staff must pass it, and patients who turned it on: until the session has, every page
sends them to type a code (or, for staff without an authenticator app yet, to set one up),
then back where they were going; the API answers 401. The pages of the second step itself,
logging out and the files the installed app fetches on its own stay open. Django's admin is
behind it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from backstretch.accounts import twofactor
from backstretch.accounts.models import User

OPEN = frozenset(
    {
        "accounts:twofactor_verify",
        "accounts:twofactor_setup",
        "accounts:recovery_codes",
        "logout",
        "healthz",
        "practice:service-worker",
        "practice:manifest",
        "practice:picture",
        "practice:apple-touch-icon",
    }
)


class AskForSecondFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not isinstance(user, User):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN:
            return None
        if twofactor.is_verified(request) or not twofactor.session_needs(request, user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Finish signing in first: type the code from your authenticator app "
                        "at %(url)s."
                    )
                    % {"url": reverse("accounts:twofactor_verify")}
                },
                status=401,
            )
        target = reverse("accounts:twofactor_verify")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):  # htmx: the whole page goes, not one fragment
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = target
            return answer
        return redirect(target)
