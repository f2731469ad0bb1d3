"""GET /api/v1/me/export: the patient's whole record, as a FHIR R4 Bundle or a zip of files."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema, Status
from pydantic import Field

from backstretch import access
from backstretch.accounts.requests import api_user_of
from backstretch.practice.schemas import COMMON_ERRORS, ErrorOut

from .views import FHIR_JSON, audit_own_export, record_download

router = Router(tags=["your record"])


class ExportQuery(Schema):
    format: Literal["fhir", "zip"] = Field(
        default="fhir",
        description="fhir: one FHIR R4 Bundle (JSON); zip: CSV and JSON files with a README.txt",
    )


DOWNLOADS = {
    200: {
        "description": "The record, as a download (Content-Disposition: attachment).",
        "content": {
            FHIR_JSON: {"schema": {"type": "object", "description": "a FHIR R4 Bundle"}},
            "application/zip": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/export",
    response={403: ErrorOut, **COMMON_ERRORS},
    summary="Download everything we hold about you",
    description=(
        "Your account, safety answers, check-ins, routines and every version of them, sessions "
        "with per-step results, “this hurts”, notes, messages, reminder settings and who at "
        "your clinic opened your record. docs/data.md describes both formats."
    ),
    openapi_extra={"responses": DOWNLOADS},
)
def export(
    request: HttpRequest, query: Query[ExportQuery]
) -> HttpResponseBase | Status[dict[str, str]]:
    user = api_user_of(request)
    if not access.may_take_own_record(user):
        return Status(403, {"detail": "Only patients have a record to download."})
    audit_own_export(user, query.format)
    return record_download(request, user, query.format)
