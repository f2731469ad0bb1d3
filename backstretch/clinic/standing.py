"""The dashboard's order, kept in ``Standing`` rows so a visit costs the same for 10 patients
or 1,000: triage only the patients whose facts changed (or whose day turned) since the last
visit, then read one page of each group in order from the table.

Rows are rebuilt with the same gathering and triage as the dashboard's rows (``dashboard``),
in batches. A running ``backstretch worker`` rebuilds them every minute
(``refresh_every_clinic``), so when a patient's day turns their row is new before anyone
looks; without a worker the first visit of a day pays for it, and every later visit only for
the patients something happened to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db import connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from backstretch.accounts.models import PatientProfile

from .dashboard import facts_digest, facts_for, gather, triaged_all
from .models import Standing

BATCH = 500  # patients triaged per gathering: bounded memory for any caseload
NEEDS_PAGE = 20  # most urgent first; the rest a page away
ON_TRACK_PAGE = 20


def next_midnight(profile: PatientProfile, now: datetime) -> datetime:
    zone = profile.user.zone
    local = now.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=zone)


def stale(patients: QuerySet[PatientProfile], now: datetime) -> QuerySet[PatientProfile]:
    """The patients among ``patients`` whose standing is missing, marked or out of date."""
    return patients.exclude(
        Q(user__dashboard_standing__refresh=False)
        & Q(user__dashboard_standing__valid_until__gt=now)
    )


def refresh(patients: QuerySet[PatientProfile]) -> int:
    """Rebuild the standing of every patient among ``patients`` that needs it; how many."""
    now = timezone.now()
    done, after = 0, 0
    while True:
        # By id, not by offset: a rebuilt batch leaves the stale set, so offsets would skip.
        batch = list(
            stale(patients, now)
            .filter(user_id__gt=after)
            .select_related("user")
            .order_by("user_id")[:BATCH]
        )
        if not batch:
            return done
        _rebuild(batch, now)
        done += len(batch)
        after = batch[-1].user_id


def refresh_every_clinic() -> int:
    """Rebuild every clinic patient's standing that needs it (a worker's chore each minute,
    so the first dashboard visit of a day finds the caseload triaged); how many."""
    return refresh(PatientProfile.objects.filter(clinic__isnull=False))


def _rebuild(profiles: list[PatientProfile], now: datetime) -> None:
    ids = [p.user_id for p in profiles]
    Standing.objects.bulk_create(
        [Standing(patient_id=i) for i in ids], ignore_conflicts=True, batch_size=BATCH
    )
    # The marks as they were before the facts are read: a change that lands while we work
    # moves the epoch on, and our older answer is not written over it.
    epochs = dict(Standing.objects.filter(patient_id__in=ids).values_list("patient_id", "epoch"))
    todays = {p.user_id: p.user.today() for p in profiles}
    found = gather(profiles, todays)
    entries = []
    for profile in profiles:
        facts = facts_for(profile, todays[profile.user_id], found)
        name = str(profile.user)
        entries.append((facts, name, facts_digest(facts, name)))
    answers = triaged_all(entries)
    longest = Standing._meta.get_field("name_key").max_length
    rows = {
        profile.user_id: Standing(
            patient_id=profile.user_id,
            refresh=False,
            valid_until=next_midnight(profile, now),
            needs_call=bool(why),
            urgency=-order[0],
            silence=-order[1],
            name_key=order[2][:longest],
        )
        for profile, (why, order) in zip(profiles, answers, strict=True)
    }
    with transaction.atomic():
        # Locked, so no mark lands between this read and the write below.
        now_marked = Standing.objects.select_for_update().filter(patient_id__in=ids)
        for patient_id, epoch in now_marked.values_list("patient_id", "epoch"):
            if epoch != epochs.get(patient_id):
                rows.pop(patient_id, None)  # changed while we worked: the next visit redoes it
        Standing.objects.bulk_update(
            rows.values(),
            ["refresh", "valid_until", "needs_call", "urgency", "silence", "name_key"],
            batch_size=BATCH,
        )


# Runs inside the transaction that stores each session (a post_save receiver), so while the
# database's write lock is held: plain SQL, which costs a fraction of building the ORM's.
MARK_SQL = (
    f"UPDATE {Standing._meta.db_table} SET refresh = %s, epoch = epoch + 1 WHERE patient_id = %s"
)


def mark(patient_id: Any) -> None:
    """Something about the patient changed: their standing is rebuilt on the next visit."""
    with connections[Standing.objects.db].cursor() as cursor:
        cursor.execute(MARK_SQL, [True, patient_id])


@dataclass(frozen=True)
class Page:
    profiles: list[PatientProfile]
    total: int
    number: int  # 1-based
    size: int
    # Each shown patient's standing as read with the page: (epoch, valid_until).
    marks: dict[int, tuple[int, datetime]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def hidden(self) -> int:
        return max(0, self.total - self.number * self.size)


def page_of(patients: QuerySet[PatientProfile], needs_call: bool, number: int, size: int) -> Page:
    """One page of a dashboard group, in the dashboard's order (triage.sort_key)."""
    group = patients.filter(user__dashboard_standing__needs_call=needs_call)
    total = group.count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    ordered = (
        group.select_related("user")
        .annotate(
            standing_epoch=F("user__dashboard_standing__epoch"),
            standing_until=F("user__dashboard_standing__valid_until"),
        )
        .order_by(
            "-user__dashboard_standing__urgency",
            "-user__dashboard_standing__silence",
            "user__dashboard_standing__name_key",
            "user_id",
        )
    )
    start = (number - 1) * size
    shown: list[Any] = list(ordered[start : start + size])
    marks = {
        p.user_id: (p.standing_epoch, p.standing_until)
        for p in shown
        if p.standing_until is not None
    }
    return Page(shown, total, number, size, marks)
