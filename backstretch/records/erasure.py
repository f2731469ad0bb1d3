"""Erasing a patient on their request: every row about them goes; a tombstone stays.

What stays: an ``ErasedRecord`` (that a record existed and was erased, when, at whose request,
how many rows went) and, for a clinic's patient, the clinic's audit entries, which keep who
did what but now name "erased record #N" instead of the person. The clinic is told by an
audit entry of its own ("erase"). Nothing else holds their id, e-mail or name afterwards:
``tests/records/test_erasure.py`` looks through every column of every table. The clinic's
bulk exports, which hold them too, are deleted (``clinic_exports.forget_patient_in_exports``).
"""

from __future__ import annotations

from collections import Counter

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace

from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent, Invitation
from backstretch.practice.models import PracticeSession

from .clinic_exports import forget_patient_in_exports
from .models import ErasedRecord

WHAT_LIMIT = 200


@transaction.atomic
def erase_patient(user: User) -> ErasedRecord:
    user_id = user.pk
    profile = getattr(user, "patient", None)
    clinic = profile.clinic if profile is not None else None
    tombstone = ErasedRecord.objects.create(clinic=clinic)
    label = f"erased record #{tombstone.pk}"
    removed: Counter[str] = Counter()

    # The clinic's record of who did what stays; who it was about becomes the tombstone.
    for event in AuditEvent.objects.filter(patient=user):
        what = event.what.replace(user.name, label) if user.name else event.what
        suffix = f" ({label})"
        event.patient = None
        event.what = what[: WHAT_LIMIT - len(suffix)] + suffix
        event.save(update_fields=["patient", "what"])
    AuditEvent.objects.filter(actor=user).update(actor=None)
    # Entries about them before they were a patient here: "patient invitation for <e-mail>".
    AuditEvent.objects.filter(what__contains=user.email).update(
        what=Replace("what", Value(user.email), Value(label))
    )
    # Invitations sent to their address (the token is spent; the address is theirs).
    count, _per_table = Invitation.objects.filter(
        Q(email__iexact=user.email) | Q(accepted_by=user)
    ).delete()
    removed["clinic.Invitation"] += count
    # Django admin's log of staff edits to their account names them ("object_repr").
    count, _per_table = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user_id)
    ).delete()
    removed["admin.LogEntry"] += count
    # Sessions first: they keep the routine versions they were played from (PROTECT).
    _count, per_table = PracticeSession.objects.filter(patient=user).delete()
    removed.update(per_table)
    _count, per_table = user.delete()
    removed.update(per_table)
    removed["sessions.Session"] += end_sessions(user_id)

    tombstone.removed = {table: n for table, n in sorted(removed.items()) if n}
    tombstone.save(update_fields=["removed"])
    if clinic is not None:
        forget_patient_in_exports(clinic)
        AuditEvent.objects.create(
            clinic=clinic,
            actor=None,
            patient=None,
            action=AuditEvent.Action.ERASE,
            what=f"{label}: a patient deleted their account and all their data",
        )
    return tombstone


def end_sessions(user_id: int) -> int:
    """Log the person out everywhere: delete every log-in session that names them."""
    ended = 0
    for session in Session.objects.iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended
