"""Dates and times on pages in the zone of the person reading them."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def time_zone_of_reader(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Activate the logged-in user's time zone for the request (the server's UTC otherwise),
    so a clinician in Denver reads a session's time as Denver time, not UTC."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None else ""
        try:
            zone = ZoneInfo(name) if name else None
        except (KeyError, ValueError):
            zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
