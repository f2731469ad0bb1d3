"""The clinic export's spreadsheet: one row per patient, with the figures the dashboard and
the progress report show (adherence over 7 and 28 days, the pain trend, the latest PEG check-in
and the last session), computed by their own functions, a chunk of patients at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from backstretch.accounts.models import PatientProfile
from backstretch.clinic import dashboard
from backstretch.clinic.dashboard_words import adherence_percent
from backstretch.clinic.report import pain_trend
from backstretch.outcomes.models import PegCheckin
from backstretch.outcomes.scoring import peg_score

from .tables import iso

HEADER = (
    "patient_id",
    "name",
    "email",
    "clinician",
    "routine_started",
    "adherence_7_days_percent",
    "adherence_28_days_percent",
    "pain_before_first_week",
    "pain_before_last_7_days",
    "pain_change",
    "pain_trend",
    "latest_peg",
    "latest_peg_date",
    "last_session_date",
)
ABOUT = {
    "adherence": "share of the planned sessions done (as on the dashboard), in %",
    "pain": "average pain before sessions (0-10) in the first week with scores and in the last "
    "7 days of the last 28; pain_change is the second minus the first",
    "peg": "the latest answered weekly PEG check-in (0-10) and its day",
}


def latest_pegs(ids: Sequence[int]) -> dict[int, tuple[date, float]]:
    found: dict[int, tuple[date, float]] = {}
    rows = (
        PegCheckin.objects.filter(patient_id__in=ids, skipped=False)
        .order_by("patient_id", "-local_date", "-pk")
        .values_list("patient_id", "local_date", "pain", "enjoyment", "activity")
    )
    for patient_id, day, pain, enjoyment, activity in rows.iterator(chunk_size=2000):
        if patient_id in found or pain is None or enjoyment is None or activity is None:
            continue
        found[patient_id] = (day, round(peg_score(pain, enjoyment, activity), 1))
    return found


def chunk_rows(profiles: list[PatientProfile]) -> Iterator[list[Any]]:
    todays = {p.user_id: p.user.today() for p in profiles}
    found = dashboard.gather(profiles, todays)
    pegs = latest_pegs(list(todays))
    for profile in profiles:
        uid = profile.user_id
        facts = dashboard.facts_for(profile, todays[uid], found)
        days = [s.day for s in facts.sessions]
        trend = pain_trend([(s.day, s.pain_before) for s in facts.sessions], todays[uid])
        last = max(days) if days else found.last_session.get(uid)
        peg = pegs.get(uid)
        clinician = profile.clinician
        yield [
            uid,
            profile.user.name,
            profile.user.email,
            (clinician.name or clinician.email) if clinician else "",
            iso(facts.started),
            adherence_percent(facts, 7),
            adherence_percent(facts, 28),
            trend.first_week,
            trend.last_week,
            trend.change,
            trend.reading,
            peg[1] if peg else None,
            iso(peg[0]) if peg else None,
            iso(last),
        ]


def profile_chunks(profiles: QuerySet[PatientProfile], size: int) -> Iterator[list[PatientProfile]]:
    """The clinic's patients by user id, ``size`` at a time (keyset pages: each query is as
    cheap as the first, and no more than one page is held)."""
    after = 0
    while True:
        page = list(profiles.filter(user_id__gt=after).order_by("user_id")[:size])
        if not page:
            return
        yield page
        after = page[-1].user_id
