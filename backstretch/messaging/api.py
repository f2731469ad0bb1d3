"""The patient's side of their thread: GET and POST /api/v1/me/messages, and marking it read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from backstretch import access
from backstretch.accounts.models import User
from backstretch.accounts.requests import api_user_of
from backstretch.practice.schemas import COMMON_ERRORS, WRITE_ERRORS, ErrorOut

from .models import Thread
from .schemas import MessageIn, MessageOut, ReadOut, ThreadOut, message_out
from .services import mark_read, patient_thread, recent, send, unread_for_patient

router = Router(tags=["messages"])

NOT_A_PATIENT = {"detail": "Messages are for patients: finish setting up first."}
NO_CLINIC = {
    "detail": "You use Backstretch without a clinic, so there is no one to message. Your "
    "session notes stay with your sessions, and nobody else reads them."
}


def _own_thread(request: HttpRequest) -> tuple[User, Thread | None, Status[dict[str, str]]]:
    """The patient's thread, or the answer saying why there is none."""
    user = api_user_of(request)
    if not access.may_use_own_messages(user):
        return user, None, Status(403, NOT_A_PATIENT)
    return user, patient_thread(user), Status(404, NO_CLINIC)


@router.get(
    "/messages",
    response={200: ThreadOut, 403: ErrorOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="Your messages with your clinic (reading them does not mark them read)",
)
def my_messages(request: HttpRequest) -> Status[Any]:
    user, thread, refusal = _own_thread(request)
    if thread is None:
        return refusal
    items = [message_out(m, thread.patient_read_id, True) for m in recent(thread)]
    body = {"clinic": thread.clinic.name, "unread": unread_for_patient(user), "items": items}
    return Status(200, body)


@router.post(
    "/messages",
    response={201: MessageOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Write to your clinic",
)
def send_my_message(request: HttpRequest, payload: MessageIn) -> Status[Any]:
    user, thread, refusal = _own_thread(request)
    if thread is None:
        return refusal
    message = send(thread, user, payload.text)
    return Status(201, message_out(message, message.pk, True))


@router.post(
    "/messages/read",
    response={200: ReadOut, 403: ErrorOut, 404: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Mark every message from your clinic so far as read",
)
def read_my_messages(request: HttpRequest) -> Status[Any]:
    _user, thread, refusal = _own_thread(request)
    if thread is None:
        return refusal
    mark_read(thread, by_patient=True)
    return Status(200, {"unread": 0})
