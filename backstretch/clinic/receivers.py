"""What the clinic app does when facts about a patient change below it: the patient's
dashboard standing is marked for a rebuild (``clinic.standing``). Connected in ``apps.py``.

Every model whose rows the dashboard's triage reads is listed; saving or deleting one marks
its patient (bulk writes made without ``save()`` come with a saved row that marks: a
session's "this hurts" reports arrive with the session).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from backstretch.accounts.models import PatientProfile, User
from backstretch.outcomes.models import PegCheckin
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.safety.models import RedFlagScreen, RescreenRequest

from . import standing
from .models import DealtWith

# model -> how to find the patient's user id from a row
PATIENT_OF: dict[type, Any] = {
    PracticeSession: lambda row: row.patient_id,
    HurtReport: lambda row: row.patient_id,
    PegCheckin: lambda row: row.patient_id,
    DealtWith: lambda row: row.patient_id,
    RedFlagScreen: lambda row: row.user_id,
    RescreenRequest: lambda row: row.user_id,
    Routine: lambda row: row.patient_id,
    RoutineVersion: lambda row: (
        Routine.objects.filter(pk=row.routine_id).values_list("patient_id", flat=True).first()
    ),
    PatientProfile: lambda row: row.user_id,
    User: lambda row: row.pk,
}


# A user's row is saved at every log-in (``last_login``): only these change a dashboard row.
USER_FIELDS_SHOWN = frozenset({"name", "time_zone"})


def changed(sender: type, instance: Any, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if sender is User and fields is not None and not USER_FIELDS_SHOWN & set(fields):
        return
    patient_id = PATIENT_OF[sender](instance)
    if patient_id is not None:
        standing.mark(patient_id)


def connect() -> None:
    for model in PATIENT_OF:
        post_save.connect(changed, sender=model, dispatch_uid=f"standing-save-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"standing-del-{model.__name__}")
