"""The JSON API (django-ninja): one router per app, OpenAPI at /api/v1/openapi.json.

Two ways in: the browser's session (writes need the CSRF token, as forms do) or a personal
API token sent as ``Authorization: Bearer bks_…`` (no CSRF: no browser sends it on its own).
Every error is JSON: ``{"detail": "...", "errors": [{"field", "message"}]}`` for bad input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from backstretch import api_words
from backstretch.accounts.models import User
from backstretch.accounts.throttle import TokenLockedOut, locked_out, token_allowed, token_failed
from backstretch.accounts.tokens import Expired, check_token_once
from backstretch.clinic.api import router as clinic_router
from backstretch.practice.api import PatientGate
from backstretch.practice.api import router as practice_router


class TokenExpired(Exception):
    """A right token past its date."""


class BearerToken(HttpBearer):
    """A personal API token; a wrong, revoked or expired one is a 401 (never falls back to the
    cookie). Wrong tokens count as failed log-ins of this client address (django-axes): after
    too many, every wrong one is a 429 until the cool-off has passed. A right token always
    works: 256 random bits cannot be guessed, and its requests then cost no lock-out lookup
    (nor does a busy clinic sharing an address with someone guessing lose its API)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = check_token_once(request, token.strip())
        if isinstance(found, User):
            request.user = found
            if found.language:  # answers in the token owner's language, as their pages are
                translation.activate(found.language)
                request.LANGUAGE_CODE = translation.get_language()
            return found
        if not token_allowed(request):
            raise TokenLockedOut
        token_failed(request)
        if isinstance(found, Expired):
            raise TokenExpired(found.on.date().isoformat())
        raise AuthenticationError


class BrowserSession(APIKeyCookie):
    """The logged-in browser session; writes must carry the CSRF token (X-CSRFToken header)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # not logged in: a 401, whatever the CSRF token
        if check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF token missing or wrong: send the csrftoken cookie's value as X-CSRFToken"
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


AUTH = [BearerToken(), BrowserSession()]

api = NinjaAPI(
    title="Backstretch API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=AUTH,
    description=(
        "Patients' routines and sessions; clinicians' views of their own patients. "
        "Authenticate with `Authorization: Bearer <token>` (make a token on your profile "
        "page or with `backstretch token create EMAIL`; tokens expire, after 90 days by "
        "default) or with the browser's session. Too many wrong tokens from one address are "
        "answered 429 for a while."
    ),
)


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "data", "payload", "query", "path")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(list(error.get("loc", []))), "message": api_words.message(error)}
        for error in exc.errors
    ]
    first = errors[0] if errors else {"field": "", "message": _("invalid input")}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        message = _("not valid JSON: send one JSON object with Content-Type: application/json")
        return api.create_response(
            request,
            {"detail": f"body: {message}", "errors": [{"field": "body", "message": message}]},
            status=400,
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Log in first (or send a valid API token).")}, status=401
    )


@api.exception_handler(TokenExpired)
def token_expired(request: HttpRequest, exc: TokenExpired) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "This API token expired on %(day)s. Make a new one on your profile page (or "
                "with `backstretch token create EMAIL`)."
            )
            % {"day": exc}
        },
        status=401,
    )


@api.exception_handler(TokenLockedOut)
def token_locked_out(request: HttpRequest, exc: TokenLockedOut) -> HttpResponse:
    return locked_out(request)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("body: too large (at most 2.5 MB per request)")}, status=413
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(PatientGate)
def may_not_practise(request: HttpRequest, exc: PatientGate) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


api.add_router("/me/", practice_router)
api.add_router("/", clinic_router)
api.add_router("/me/", "backstretch.reminders.api.router")
api.add_router("/me/", "backstretch.messaging.api.router")
api.add_router("/me/", "backstretch.push.api.router")
api.add_router("/", "backstretch.clinic.api_messages.router")
api.add_router("/me/", "backstretch.records.api.router")
