"""A clinic admin's bulk exports of the whole clinic (made in the background)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backstretch import access
from backstretch.accounts.requests import HtmxHttpRequest, user_of
from backstretch.clinic.models import AuditEvent
from backstretch.clinic.services import audit
from backstretch.links import base_url

from . import clinic_exports
from .models import ClinicExport


@login_required
@require_http_methods(["GET", "POST"])
def exports(request: HtmxHttpRequest, clinic_id: int) -> HttpResponse:
    user = user_of(request)
    clinic = access.get_clinic_for_bulk_export(user, clinic_id)
    if request.method == "POST":
        clinic_exports.request_export(clinic, user, base_url(request))
        messages.success(
            request,
            _(
                "Export asked for. It is made in the background: this page shows when it is "
                "ready to download."
            ),
        )
        return redirect("records:clinic_exports", clinic_id=clinic.pk)
    found = clinic_exports.exports_of(clinic)
    context = {
        "clinic": clinic,
        "exports": found,
        "waiting": any(e.unfinished for e in found),
        "keep_days": clinic_exports.KEEP_DAYS,
        "is_clinician": clinic.pk in access.clinician_clinic_ids(user),
    }
    template = "records/clinic_exports.html"
    if request.htmx:
        template += "#export-list"
    return render(request, template, context)


@login_required
@require_safe
def export_download(request: HttpRequest, clinic_id: int, export_id: int) -> FileResponse:
    user = user_of(request)
    clinic = access.get_clinic_for_bulk_export(user, clinic_id)
    export = get_object_or_404(ClinicExport, pk=export_id, clinic=clinic)
    path = clinic_exports.path_of(export)
    if export.state != ClinicExport.State.READY or not path.exists():
        raise Http404("This export is not ready, or has gone.")
    audit(user, None, clinic, AuditEvent.Action.EXPORT, f"clinic export #{export.pk} downloaded")
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=export.file_name,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def export_delete(request: HttpRequest, clinic_id: int, export_id: int) -> HttpResponse:
    user = user_of(request)
    clinic = access.get_clinic_for_bulk_export(user, clinic_id)
    export = get_object_or_404(ClinicExport, pk=export_id, clinic=clinic)
    clinic_exports.delete_export(export, user)
    messages.success(request, _("Export deleted: its file is gone from the server."))
    return redirect("records:clinic_exports", clinic_id=clinic.pk)
