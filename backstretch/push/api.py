"""POST /api/v1/me/push/subscriptions and /me/push/unsubscribe: notifications on this phone."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from backstretch import access
from backstretch.accounts.requests import api_user_of

from .services import endpoint_problem, subscribe, unsubscribe

router = Router(tags=["notifications"])

Key = Annotated[str, Field(min_length=8, max_length=200, pattern=r"^[A-Za-z0-9_\-=]+$")]


class KeysIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    p256dh: Key = Field(description="the browser's public key, base64url")
    auth: Key = Field(description="the authentication secret, base64url")


class Endpoint(BaseModel):
    endpoint: Annotated[str, Field(max_length=1000, description="the push service's address")]

    @field_validator("endpoint")
    @classmethod
    def a_push_service(cls, value: str) -> str:
        problem = endpoint_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class SubscriptionIn(Endpoint):
    """A browser's ``PushSubscription.toJSON()``."""

    model_config = ConfigDict(extra="ignore")

    keys: KeysIn


class SubscribedOut(Schema):
    endpoint: str


class RemovedOut(Schema):
    removed: int = Field(description="1 if this browser was subscribed, else 0")


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: list[dict[str, str]]


NOT_A_PATIENT = {"detail": "Notifications are for patients: finish setting up first."}


@router.post(
    "/push/subscriptions",
    response={
        201: SubscribedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: InvalidOut,
        429: ErrorOut,
    },
    summary="Notify this browser: new messages and your daily reminder",
)
def push_subscribe(request: HttpRequest, payload: SubscriptionIn) -> Status[dict[str, Any]]:
    user = api_user_of(request)
    if not access.is_patient(user):
        return Status(403, NOT_A_PATIENT)
    subscribe(user, payload.endpoint, payload.keys.p256dh, payload.keys.auth)
    return Status(201, {"endpoint": payload.endpoint})


@router.post(
    "/push/unsubscribe",
    response={
        200: RemovedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: InvalidOut,
        429: ErrorOut,
    },
    summary="Stop notifying this browser",
)
def push_unsubscribe(request: HttpRequest, payload: Endpoint) -> Status[dict[str, Any]]:
    user = api_user_of(request)
    if not access.is_patient(user):
        return Status(403, NOT_A_PATIENT)
    return Status(200, {"removed": unsubscribe(user, payload.endpoint)})
