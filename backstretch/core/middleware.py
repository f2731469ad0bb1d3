"""Dates and times on pages in the zone of the person reading them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
