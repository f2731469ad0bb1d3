"""Claiming a batch of reminders (reminders.services.claim_many): one insert for the batch,
and whatever another run holds is left to it."""

from datetime import date

import pytest

from backstretch.reminders.models import SentReminder
from backstretch.reminders.schedule import Kind
from backstretch.reminders.services import MAX_ATTEMPTS, claim_many

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 25)


def test_two_runs_claiming_the_same_patients_split_them(patient, other_patient):
    wanted = {patient.pk: (Kind.DAILY, DAY), other_patient.pk: (Kind.DAILY, DAY)}
    first = claim_many({patient.pk: wanted[patient.pk]})
    second = claim_many(wanted)
    assert set(first) == {patient.pk}
    assert set(second) == {other_patient.pk}
    assert SentReminder.objects.count() == 2
    assert claim_many(wanted) == {}  # a third run finds nothing left


def test_a_failed_reminder_is_claimed_again_until_its_attempts_run_out(patient):
    SentReminder.objects.create(
        patient=patient, kind=Kind.DAILY, local_date=DAY, status=SentReminder.Status.FAILED
    )
    for attempt in range(2, MAX_ATTEMPTS + 1):
        won = claim_many({patient.pk: (Kind.NUDGE, DAY)})
        assert set(won) == {patient.pk}
        row = SentReminder.objects.get(pk=won[patient.pk])
        assert (row.status, row.kind, row.attempts) == ("claimed", Kind.NUDGE, attempt)
        SentReminder.objects.filter(pk=row.pk).update(status=SentReminder.Status.FAILED)
    assert claim_many({patient.pk: (Kind.NUDGE, DAY)}) == {}
    # A failed reminder of another day is not this day's to take.
    assert set(claim_many({patient.pk: (Kind.DAILY, date(2026, 11, 26))})) == {patient.pk}
