"""The clinic's side of a patient's thread: GET and POST /api/v1/patients/{id}/messages.

Open to the clinicians of the patient's clinic (``access.get_patient_for_messages``); anyone
else gets 404, as for a missing patient. Each read and each message goes to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import api_user_of
from backstretch.messaging.models import Thread
from backstretch.messaging.schemas import MessageIn, MessageOut, ReadOut, ThreadOut, message_out
from backstretch.messaging.services import (
    mark_read,
    recent,
    send,
    thread_of,
    unread_for_clinic,
)
from backstretch.practice.schemas import COMMON_ERRORS, WRITE_ERRORS, ErrorOut

from .api import PatientId
from .models import Clinic
from .services import audit

router = Router(tags=["clinician"])


def _thread(request: HttpRequest, patient_id: int) -> tuple[PatientProfile, Clinic, Thread]:
    profile = access.get_patient_for_messages(api_user_of(request), patient_id)
    clinic = profile.clinic
    assert clinic is not None  # only a clinic's patients are found
    return profile, clinic, thread_of(profile.user, clinic.pk)


@router.get(
    "/patients/{patient_id}/messages",
    response={200: ThreadOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="A patient's messages with your clinic (reading them does not mark them read)",
)
def patient_messages(request: HttpRequest, patient_id: PatientId) -> Status[dict[str, Any]]:
    profile, clinic, thread = _thread(request, patient_id)
    items = [message_out(m, thread.clinic_read_id, False) for m in recent(thread)]
    audit(api_user_of(request), profile.user, clinic, "view", "messages (API)")
    body = {"clinic": clinic.name, "unread": unread_for_clinic(thread), "items": items}
    return Status(200, body)


@router.post(
    "/patients/{patient_id}/messages",
    response={201: MessageOut, 400: ErrorOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Answer a patient (their phone is told only that there is a new message)",
)
def reply_to_patient(
    request: HttpRequest, patient_id: PatientId, payload: MessageIn
) -> Status[dict[str, Any]]:
    profile, clinic, thread = _thread(request, patient_id)
    clinician = api_user_of(request)
    message = send(thread, clinician, payload.text)
    audit(clinician, profile.user, clinic, "create", "message (API)")
    return Status(201, message_out(message, message.pk, False))


@router.post(
    "/patients/{patient_id}/messages/read",
    response={200: ReadOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Mark every message from the patient so far as read by the clinic",
)
def read_patient_messages(request: HttpRequest, patient_id: PatientId) -> Status[dict[str, Any]]:
    profile, clinic, thread = _thread(request, patient_id)
    mark_read(thread, by_patient=False)
    audit(api_user_of(request), profile.user, clinic, "change", "messages marked read (API)")
    return Status(200, {"unread": 0})
