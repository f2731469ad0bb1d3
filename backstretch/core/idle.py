"""Clinic staff are signed out after ``BACKSTRETCH_STAFF_IDLE_MINUTES`` without a request.

A clinic's computer is often shared and left on; a patient's phone is their own, and they open
the installed app every day, so patients keep the long session (``SESSION_COOKIE_AGE``).
The session keeps when the person was last seen (written at most once a minute, so a busy page
does not write the session on every request) and whether they work at a clinic (asked once).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from backstretch import access

LAST_SEEN = "idle_last_seen"
IS_STAFF = "idle_staff"
WRITE_EVERY_SECONDS = 60


def sign_out_idle_staff(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return get_response(request)
        session = request.session
        staff = session.get(IS_STAFF)
        if staff is None:
            staff = bool(user.is_staff or access.works_at_a_clinic(user))
            session[IS_STAFF] = staff
        if not staff:
            return get_response(request)
        now = time.time()
        last_seen = session.get(LAST_SEEN)
        limit = settings.BACKSTRETCH_STAFF_IDLE_MINUTES * 60
        if isinstance(last_seen, int | float) and now - last_seen > limit:
            return signed_out(request)
        if not isinstance(last_seen, int | float) or now - last_seen >= WRITE_EVERY_SECONDS:
            session[LAST_SEEN] = now
        return get_response(request)

    return middleware


def signed_out(request: HttpRequest) -> HttpResponse:
    minutes = settings.BACKSTRETCH_STAFF_IDLE_MINUTES
    logout(request)
    words = _(
        "You were logged out after %(minutes)d minutes without activity, to keep patients' "
        "records safe on a shared computer. Log in again to go on."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": words}, status=401)
    messages.info(request, words)
    login = reverse("login")
    if request.method == "GET" and not request.headers.get("HX-Request"):
        login += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):  # htmx: the whole page goes, not one fragment
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = login
        return answer
    return redirect(login)
