"""The clinician's API: their own clinics' patients, a patient's sessions and adherence.

Everything goes through ``access``: another clinic's patient id answers 404, like a missing
one. Reading a patient's records (one, or the list) is written to the clinic's audit log, as the
pages are.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from backstretch import access
from backstretch.accounts.models import PatientProfile
from backstretch.accounts.requests import api_user_of
from backstretch.practice.api import PageQuery, session_page
from backstretch.practice.models import PracticeSession
from backstretch.practice.schemas import COMMON_ERRORS, MAX_ID, ErrorOut, SessionPage

from . import triage
from .dashboard import facts_for, gather
from .dashboard_words import WINDOW_DAYS, adherence_percent
from .services import audit, audit_listing

router = Router(tags=["clinician"])

PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="the patient's user id")]


class ClinicRef(BaseModel):
    id: int
    name: str


class PatientOut(BaseModel):
    id: int = Field(description="the patient's user id")
    name: str
    email: str
    clinic: ClinicRef
    last_session: date | None
    adherence_7: int | None = Field(description="% of planned sessions done, last 7 days")
    adherence_28: int | None = Field(description="% of planned sessions done, last 28 days")
    reasons: list[str] = Field(description="why to call, most urgent first; empty = on track")


class AdherenceOut(BaseModel):
    patient_id: int
    today: date = Field(description="the patient's own date")
    planned_days: list[int] = Field(description="planned weekdays, Monday 0")
    times_per_day: int
    adherence_7: int | None
    adherence_28: int | None
    last_session: date | None
    reasons: list[str]


def _facts(profiles: list[PatientProfile]) -> dict[int, triage.PatientFacts]:
    todays = {p.user_id: p.user.today() for p in profiles}
    found = gather(profiles, todays)
    return {p.user_id: facts_for(p, todays[p.user_id], found) for p in profiles}


@router.get(
    "/patients",
    response={200: list[PatientOut], 403: ErrorOut, **COMMON_ERRORS},
    summary="Every patient of the clinics where you are a clinician",
)
def patients(request: HttpRequest) -> list[dict[str, Any]]:
    clinician = api_user_of(request)
    if not access.is_clinician(clinician):
        raise HttpError(403, "Only a clinic's clinicians see its patients.")
    profiles = list(access.patients_for_clinician(clinician).order_by("user__name"))
    facts = _facts(profiles)
    audit_listing(clinician, profiles, "patient list (API)")
    answer = []
    for profile in profiles:
        fact = facts[profile.user_id]
        assert profile.clinic is not None
        answer.append(
            {
                "id": profile.user_id,
                "name": profile.user.name,
                "email": profile.user.email,
                "clinic": {"id": profile.clinic.pk, "name": profile.clinic.name},
                "last_session": triage.last_practised(fact),
                "adherence_7": adherence_percent(fact, 7),
                "adherence_28": adherence_percent(fact, WINDOW_DAYS),
                "reasons": [reason.kind for reason in triage.reasons(fact)],
            }
        )
    return answer


def _patient(request: HttpRequest, patient_id: int, what: str) -> PatientProfile:
    clinician = api_user_of(request)
    profile = access.get_patient_for_clinician(clinician, patient_id)
    assert profile.clinic is not None
    audit(clinician, profile.user, profile.clinic, "view", what)
    return profile


@router.get(
    "/patients/{patient_id}/sessions",
    response={200: SessionPage, 404: ErrorOut, **COMMON_ERRORS},
    summary="One of your patients' sessions, newest first",
)
def patient_sessions(
    request: HttpRequest, patient_id: PatientId, page: Query[PageQuery]
) -> dict[str, Any]:
    profile = _patient(request, patient_id, "sessions (API)")
    sessions = PracticeSession.objects.filter(patient_id=profile.user_id)
    return session_page(sessions, page.limit, page.offset)


@router.get(
    "/patients/{patient_id}/adherence",
    response={200: AdherenceOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One of your patients' adherence over 7 and 28 days, and reasons to call",
)
def patient_adherence(request: HttpRequest, patient_id: PatientId) -> dict[str, Any]:
    profile = _patient(request, patient_id, "adherence (API)")
    fact = _facts([profile])[profile.user_id]
    return {
        "patient_id": profile.user_id,
        "today": fact.today,
        "planned_days": sorted(fact.planned_days),
        "times_per_day": fact.times_per_day,
        "adherence_7": adherence_percent(fact, 7),
        "adherence_28": adherence_percent(fact, WINDOW_DAYS),
        "last_session": triage.last_practised(fact),
        "reasons": [reason.kind for reason in triage.reasons(fact)],
    }
