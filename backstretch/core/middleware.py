"""Request-wide rules: dates in the reader's time zone; JSON errors under /api/; no-store; a
limit on each account's writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backstretch.accounts.models import User
from backstretch.accounts.tokens import check_token_once

from . import ratelimit


def resolved_user(request: HttpRequest) -> Any:
    """``request.user`` as the plain user object, loaded once.

    Django's authentication and django-otp each wrap the user in a lazy object (one inside the
    other), and every attribute read through them costs a few microseconds: a page reads the
    user a few hundred times (the views, the menu, the templates). The middleware below this
    all need the user anyway, so it is loaded here and the wrappers are dropped."""
    user = getattr(request, "user", None)
    while isinstance(user, LazyObject):
        lazy: Any = user
        if lazy._wrapped is empty:
            lazy._setup()
        user = lazy._wrapped
    if user is not None:
        request.user = user
    return user


def language_of_reader(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Pages in the logged-in person's own language (their profile's choice). Django's
    LocaleMiddleware, before this, has already chosen from the browser's Accept-Language for
    everyone else, and after the view it says the language chosen (Content-Language)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = resolved_user(request)
        if isinstance(user, User) and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return get_response(request)

    return middleware


def time_zone_of_reader(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Activate the logged-in user's time zone for the request (the server's UTC otherwise),
    so a clinician in Denver reads a session's time as Denver time, not UTC."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User):
            timezone.activate(user.zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


TEXT_TYPES = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class CompressText(GZipMiddleware):
    """Gzip pages, API answers, feeds and drawn SVG for clients that accept it; never images
    or other bodies that are already compressed (a PNG only gets bigger), and never bodies
    under 200 bytes (Django's threshold: the gzip header would outweigh the saving).

    BREACH (guessing a secret from compressed sizes) needs a secret that stays the same
    across many responses and text the attacker puts beside it. Neither holds here: Django
    masks the CSRF token with a fresh random salt in every response that renders it, and
    GZipMiddleware adds a random-length filler to every gzip header ("Heal the Breach"), so
    sizes leak nothing an attacker can build on. Static files never come here: whitenoise
    answers them first, with its own precompressed copies."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)


API_PREFIX = "/api/"


def json_errors_under_api(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Every answer under /api/ (and at /api itself) is JSON: an unknown path (Django's HTML
    'Page not found') and a method the path does not take (django-ninja's plain-text 405)
    become ``{"detail": ...}``, as every other API error is. The 405 keeps its Allow header."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            not (request.path.startswith(API_PREFIX) or request.path == API_PREFIX[:-1])
            or response.status_code not in (404, 405)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.status_code == 404:
            return JsonResponse({"detail": "Not found: no such address in the API."}, status=404)
        allowed = response.get("Allow", "")
        answer = JsonResponse(
            {"detail": f"Method {request.method} not allowed here; this address takes {allowed}."},
            status=405,
        )
        answer["Allow"] = allowed
        return answer

    return middleware


def no_store_by_default(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """``Cache-Control: no-store`` on every answer whose view did not choose a lifetime itself.

    Pages and API answers carry health or personal data (pain scores, notes, names), and a
    phone is often shared: no browser or proxy cache may keep a copy, and Back after logging
    out asks the server again rather than showing the last person's page. A view that serves
    the same thing to everyone (an icon, the manifest) or one that must be kept a little (the
    calendar feed) sets its own header. Static files never come here (whitenoise answers them
    first, with their long lifetimes)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    return middleware


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _writer(request: HttpRequest) -> str | None:
    """Whose write this is: the logged-in account, or the owner of the working API token it
    carries (checked here, once: the API's authentication then uses the same answer). None for
    anonymous writes and for a token that does not work (the API refuses those anyway)."""
    user = getattr(request, "user", None)
    if isinstance(user, User):
        return f"user:{user.pk}"
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    owner = check_token_once(request, secret.strip())
    return f"user:{owner.pk}" if isinstance(owner, User) else None


def _is_logout(request: HttpRequest) -> bool:
    match = request.resolver_match  # set before any process_view
    return match is not None and match.view_name == "logout"


def _wait_words(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = -(-minutes // 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


class LimitWrites:
    """At most ``BACKSTRETCH_WRITE_LIMITS`` writes per account: past them a 429 with Retry-After,
    JSON under /api/ and a page that says how long to wait elsewhere. Counted once the view is
    known, so a view whose POSTs do not all change something can say which do
    (``accounts.requests.writes_only_when``). Logging out is never refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in WRITES or _is_logout(request):
            return None
        changes = getattr(view, "writes_when", None)
        if changes is not None and not changes(request):
            return None
        who = _writer(request)
        wait = None if who is None else ratelimit.count_write(who, ratelimit.write_limits())
        if wait is None:
            return None
        how_long = _wait_words(wait)
        if request.path.startswith(API_PREFIX):
            detail = _(
                "Too many changes from this account in a short time: nothing was saved. "
                "Wait %(wait)s and send it again."
            ) % {"wait": how_long}
            response: HttpResponse = JsonResponse({"detail": detail}, status=429)
        else:
            response = render(request, "429.html", {"wait": how_long}, status=429)
        response["Retry-After"] = str(wait)
        return response
