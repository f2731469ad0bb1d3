from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backstretch import access
from backstretch.core.setup import migrations_pending

# Once this process has seen every migration applied it stays so (new code means a restart).
_migrations_applied = False


def migrations_applied() -> bool:
    """Every migration file recorded as applied: the check ``serve`` makes, one query and a
    look at the migration folders (loading the migrations themselves took each server
    process about 0.1 s of CPU on its first /healthz)."""
    global _migrations_applied
    if not _migrations_applied:
        _migrations_applied = not migrations_pending()
    return _migrations_applied


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether this server can serve: its database answers and has every migration. It names
    no software or version (that would help only an attacker)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        applied = migrations_applied()
    except Exception:  # the point of this view is to report any database failure
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if not applied:
        return JsonResponse({"status": "error", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})


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
