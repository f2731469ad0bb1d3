"""Recording check-ins and STarT Back requests; the queries the pages share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from backstretch.accounts.models import User
from backstretch.practice.queries import aware

from .models import PegCheckin, StartBack
from .progression_services import NOTICE_DAYS
from .queries import today_pieces_row
from .scoring import peg_due, start_back_score


def peg_is_due(patient: User, today: date) -> bool:
    days = PegCheckin.objects.filter(patient=patient).values_list("local_date", flat=True)
    return peg_due(days.order_by("-local_date")[:1], today)


def record_peg(patient: User, day: date, *, pain: int, enjoyment: int, activity: int) -> PegCheckin:
    """Store the answers; a second send the same day (a double tap) replaces the first."""
    checkin, _ = PegCheckin.objects.update_or_create(
        patient=patient,
        local_date=day,
        defaults={"pain": pain, "enjoyment": enjoyment, "activity": activity, "skipped": False},
    )
    return checkin


def skip_peg(patient: User, day: date) -> PegCheckin:
    return PegCheckin.objects.create(patient=patient, local_date=day, skipped=True)


def peg_points(patient: User, since: date) -> list[tuple[date, float]]:
    """(day, score) for each answered check-in since ``since``, oldest first."""
    rows = PegCheckin.objects.filter(patient=patient, skipped=False, local_date__gte=since)
    return [(c.local_date, c.score) for c in rows.order_by("local_date") if c.score is not None]


def open_start_back(patient: User) -> StartBack | None:
    return StartBack.objects.filter(patient=patient, answered_at__isnull=True).first()


def latest_start_back(patient: User) -> StartBack | None:
    return StartBack.objects.filter(patient=patient).first()


def request_start_back(patient: User, clinician: User) -> tuple[StartBack, bool]:
    """Ask the patient for the tool; an unanswered request is reused, not duplicated."""
    with transaction.atomic():
        existing = open_start_back(patient)
        if existing is not None:
            return existing, False
        return StartBack.objects.create(patient=patient, requested_by=clinician), True


def answer_start_back(request: StartBack, answers: Sequence[int]) -> StartBack:
    result = start_back_score(answers)
    request.answers = list(answers)
    request.overall = result.overall
    request.distress = result.distress
    request.risk = result.risk.value
    request.answered_at = timezone.now()
    request.save()
    return request


def today_pieces(patient: User, day: date) -> tuple[object, ...]:
    """What this app shows on the patient's Today page is made of (the weekly check-in's form
    or its saved score, the STarT Back request, the routine-change notice): the page keeps
    its body while this stays the same (practice/today.py)."""
    *peg, start_back_open, version_id, number, reason, made_at, seen = today_pieces_row(patient.pk)
    made = aware(made_at)
    notice = (
        version_id
        if version_id is not None
        and number > 1
        and reason
        and made is not None
        and timezone.now() - made < NOTICE_DAYS
        and seen < number
        else None
    )
    return (*peg, bool(start_back_open), notice, day)
