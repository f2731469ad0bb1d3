"""A patient's own record (download it, delete it) and a clinician's export of one patient."""

from __future__ import annotations

from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from backstretch import access
from backstretch.accounts.models import User
from backstretch.accounts.requests import user_of
from backstretch.clinic.services import audit
from backstretch.links import base_url

from .erasure import erase_patient
from .export import fhir_bundle_chunks, file_name, zip_file

FORMATS = ("zip", "fhir")
FHIR_JSON = "application/fhir+json"


def record_download(request: HttpRequest, user: User, fmt: str) -> HttpResponseBase:
    """The record as a download: the zip, or the FHIR Bundle streamed as it is written."""
    if fmt == "zip":
        return FileResponse(
            zip_file(user),
            as_attachment=True,
            filename=file_name(user, "zip"),
            content_type="application/zip",
        )
    response = StreamingHttpResponse(
        fhir_bundle_chunks(user, base_url(request)), content_type=FHIR_JSON
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(user, "fhir.json")}"'
    return response


def audit_own_export(user: User, fmt: str) -> None:
    profile = user.patient
    if profile.clinic is not None:
        audit(user, user, profile.clinic, "export", f"own record ({fmt}), by the patient")


@login_required
@require_safe
def my_export(request: HttpRequest) -> HttpResponseBase:
    user = user_of(request)
    if not access.may_take_own_record(user):
        raise Http404("Only patients have a record to download.")
    fmt = request.GET.get("format", "zip")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Choose format=zip (files for a spreadsheet) or format=fhir (for a record system).")
        )
    audit_own_export(user, fmt)
    response = record_download(request, user, fmt)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.may_take_own_record(user):
        raise Http404("Only patients can delete their account here.")
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if not password:
            error = _("Type your password to confirm. Nothing has been deleted.")
        # Through authenticate(), so wrong tries count towards a lock-out (django-axes) as on
        # the log-in page: a borrowed, logged-in phone cannot guess its way to an erasure.
        elif authenticate(request, username=user.email, password=password) != user:
            error = _("That is not your password. Nothing has been deleted: try again.")
        else:
            erase_patient(user)
            logout(request)
            return redirect("records:erased")
    return render(
        request,
        "records/delete_account.html",
        {"error": error, "has_clinic": user.patient.clinic_id is not None},
        status=422 if error else 200,
    )


@require_safe
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "records/erased.html")


@login_required
@require_safe
def patient_export(request: HttpRequest, patient_id: int) -> HttpResponseBase:
    """A clinician of the patient's clinic downloads their record as a FHIR Bundle."""
    user = user_of(request)
    profile = access.get_patient_for_clinician(user, patient_id)
    if profile.clinic is not None:
        audit(user, profile.user, profile.clinic, "export", "record as a FHIR R4 Bundle")
    response = record_download(request, profile.user, "fhir")
    response["Cache-Control"] = "no-store"
    return response
