"""The JSON API (django-ninja): one router per app, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from backstretch.practice.api import router as practice_router

api = NinjaAPI(
    title="Backstretch API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    description="Patients' routines and sessions; clinicians' views of their own patients.",
)


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "data", "payload")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(list(error.get("loc", []))), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    first = errors[0] if errors else {"field": "", "message": "invalid input"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Log in first (or send a valid API token)."}, status=401
    )


api.add_router("/me/", practice_router)
