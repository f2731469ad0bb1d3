"""Request-wide rules: dates in the reader's time zone; JSON errors under /api/; no-store."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone

from backstretch.accounts.models import User


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
