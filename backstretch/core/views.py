from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backstretch import __version__, access


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point of this view is to report any database failure
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor, "version": __version__})


def home(request: HttpRequest) -> HttpResponse:
    """Patients go straight to today's routine, clinic staff to their clinic; others get a
    short welcome."""
    if access.is_patient(request.user):
        return redirect("practice:today")
    if access.works_at_a_clinic(request.user):
        return redirect("clinic:dashboard")
    return render(request, "accounts/welcome.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, with the request's Content-Security-Policy nonce for its own <style>:
    the page must not depend on the database or on static files, so its style is inline."""
    try:
        nonce = str(request.csp_nonce)  # type: ignore[attr-defined]
    except Exception:  # no CSP middleware ran, or its header is already written: no style
        nonce = ""
    return HttpResponseServerError(loader.get_template("500.html").render({"nonce": nonce}))
