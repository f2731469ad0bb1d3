"""Unread counts: the clinician's dashboard's queue and a patient's menu, in plain SQL.

The dashboard asks which of the clinics' patients wrote what the clinic has not read, on
every visit, over the whole caseload: one pass over the clinics' threads, each joined to its
unread rows through the (thread, id) index. The ORM's form of it (a correlated subquery per
thread, which SQLite ran twice, once to filter and once to count) cost 7.4 ms for 1,000
patients with 50 messages each, a quarter of them with unread ones; this costs 2 ms
(bench/clinic_dashboard.py's case, measured on its data).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from backstretch.accounts.models import PatientProfile, User

from .models import Message, Thread


@dataclass(frozen=True)
class Unread:
    patient_id: int
    name: str
    count: int


UNREAD_BY_PATIENT_SQL = (
    f"SELECT t.patient_id, u.name, u.email, COUNT(*) FROM {Thread._meta.db_table} t"
    f" JOIN {PatientProfile._meta.db_table} p"
    " ON p.user_id = t.patient_id AND p.clinic_id = t.clinic_id"
    f" JOIN {User._meta.db_table} u ON u.id = t.patient_id"
    f" JOIN {Message._meta.db_table} m"
    " ON m.thread_id = t.id AND m.from_patient AND m.id > t.clinic_read_id"
    " WHERE t.clinic_id IN ({clinics}) GROUP BY t.id, t.patient_id, u.name, u.email"
)


def unread_by_patient(clinic_ids: list[int]) -> list[Unread]:
    """Patients of these clinics (still theirs) with messages the clinic has not read, most
    unread first."""
    if not clinic_ids:
        return []
    sql = UNREAD_BY_PATIENT_SQL.format(clinics=", ".join(["%s"] * len(clinic_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(clinic_ids))
        rows = cursor.fetchall()
    found = [Unread(pid, name or email, count) for pid, name, email, count in rows]
    return sorted(found, key=lambda u: (-u.count, u.name.lower()))


# The patient's menu shows their unread count on every page: one query instead of loading the
# thread and then counting (bench/today_page.py).
PATIENT_UNREAD_SQL = (
    f"SELECT COUNT(*) FROM {Message._meta.db_table} m"
    f" JOIN {Thread._meta.db_table} t ON t.id = m.thread_id"
    " WHERE t.patient_id = %s AND t.clinic_id = %s AND NOT m.from_patient"
    " AND m.id > t.patient_read_id"
)


def patient_unread(patient_id: int, clinic_id: int) -> int:
    """Messages from the clinic in the patient's thread with it that the patient has not seen."""
    with connection.cursor() as cursor:
        cursor.execute(PATIENT_UNREAD_SQL, [patient_id, clinic_id])
        return int(cursor.fetchone()[0])
