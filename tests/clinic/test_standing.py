"""The dashboard's kept order (clinic.standing): rebuilt when a fact changes or a day turns,
never overwritten by a rebuild that read older facts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backstretch.accounts.models import PatientProfile
from backstretch.clinic import standing
from backstretch.clinic.models import DealtWith, Standing
from tests.cast import make_patient
from tests.sessions import hurt_report, practise, sharp_hurt_on_latest

pytestmark = pytest.mark.django_db


@pytest.fixture
def steady(frozen_now, northside, bob):
    """Practised every day of the last two weeks, pain steady: on track."""
    user = make_patient(
        "steady@example.org", "a-password-123", "Steady Sue", clinic=northside, clinician=bob
    )
    for n in range(1, 15):
        practise(user, days_ago=n, pain_before=3, pain_after=3)
    return user


def rebuilt(user):
    standing.refresh(PatientProfile.objects.filter(user=user))
    return Standing.objects.get(patient=user)


def test_a_new_fact_marks_the_standing_and_the_next_visit_rebuilds_it(steady):
    assert rebuilt(steady).needs_call is False
    practise(steady, days_ago=0, hurt_reports=[hurt_report("childs-pose", "lot", action="stop")])
    assert Standing.objects.get(patient=steady).refresh is True
    assert rebuilt(steady).needs_call is True
    # Marked dealt with: marked again, and the rebuild takes the reason off.
    reason = rebuilt(steady)
    DealtWith.objects.create(clinic_id=steady.patient.clinic_id, patient=steady, kind="hurt")
    assert Standing.objects.get(patient=steady).refresh is True
    assert rebuilt(steady).urgency < reason.urgency


def test_days_of_silence_move_a_patient_to_needs_a_call_without_any_new_fact(steady, monkeypatch):
    kept = rebuilt(steady)
    assert kept.needs_call is False
    assert kept.valid_until > timezone.now()
    later = timezone.now() + timedelta(days=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = rebuilt(steady)
    assert again.needs_call is True
    assert again.silence >= 5


def test_a_rebuild_that_read_older_facts_does_not_overwrite_a_newer_mark(steady, monkeypatch):
    rebuilt(steady)
    standing.mark(steady.pk)
    real_gather = standing.gather

    def gather_then_a_session_lands(*args, **kwargs):
        found = real_gather(*args, **kwargs)
        practise(steady, days_ago=0, pain_before=3, pain_after=9)  # while the rebuild works
        return found

    monkeypatch.setattr(standing, "gather", gather_then_a_session_lands)
    standing.refresh(PatientProfile.objects.filter(user=steady))
    assert Standing.objects.get(patient=steady).refresh is True  # still to do, not lost
    monkeypatch.setattr(standing, "gather", real_gather)
    assert rebuilt(steady).refresh is False


def test_a_log_in_does_not_mark_but_a_new_name_does(steady):
    rebuilt(steady)
    steady.last_login = timezone.now()
    steady.save(update_fields=["last_login"])
    assert Standing.objects.get(patient=steady).refresh is False
    steady.name = "Sue Renamed"
    steady.save(update_fields=["name"])
    assert Standing.objects.get(patient=steady).refresh is True
    assert rebuilt(steady).name_key == "sue renamed"


def test_a_caseload_bigger_than_a_batch_is_rebuilt_whole_in_one_visit(
    frozen_now, northside, bob, monkeypatch
):
    monkeypatch.setattr(standing, "BATCH", 2)
    people = [
        make_patient(f"p{n}@example.org", "a-password-123", f"P {n}", clinic=northside)
        for n in range(5)
    ]
    everyone = PatientProfile.objects.count()
    assert everyone >= 5
    assert standing.refresh(PatientProfile.objects.all()) == everyone
    assert Standing.objects.filter(patient__in=people, refresh=False).count() == 5
    assert standing.refresh(PatientProfile.objects.all()) == 0  # nothing left to do


def test_the_workers_chore_triages_a_turned_day_before_anyone_visits(steady, monkeypatch):
    from backstretch.core import worker

    clinic = PatientProfile.objects.filter(clinic__isnull=False)  # Sue and Alice, not Charlie
    assert worker.do_chores() == clinic.count() == 2  # never triaged yet
    assert Standing.objects.get(patient=steady).needs_call is False
    assert worker.do_chores() == 0  # nothing changed
    later = timezone.now() + timedelta(days=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert standing.stale(clinic, later).count() == 2  # their days turned: out of date
    assert worker.do_chores() == 2
    assert standing.stale(clinic, later).count() == 0
    assert Standing.objects.get(patient=steady).needs_call is True  # five silent days


# --- rows kept under the standing (clinic.dashboard.page_rows) --------------------------------


def dashboard_of(client, clinician):
    client.force_login(clinician)
    response = client.get("/clinic/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_row_changes_at_once_with_a_new_fact_a_new_name_or_another_language(
    client, steady, bob
):
    first = dashboard_of(client, bob)
    assert "Steady Sue" in first and "On track" in first
    assert "Steady Sue" in dashboard_of(client, bob)  # now from the cache
    # A "this hurts" report on its own (no new session) marks the standing: a new row.
    sharp_hurt_on_latest(steady)
    called = dashboard_of(client, bob).split('id="track-title"')[0]
    assert "Steady Sue" in called and "this hurts" in called
    steady.name = "Susan Steady"
    steady.save(update_fields=["name"])
    assert "Susan Steady" in dashboard_of(client, bob)
    bob.language = "es"
    bob.save(update_fields=["language"])
    assert "Susan Steady" in (spanish := dashboard_of(client, bob))
    assert "Reported “this hurts”" not in spanish


def test_kept_rows_never_reach_another_clinics_clinician(client, steady, bob, eve, southside):
    other = make_patient(
        "otto@example.org", "a-password-123", "Otto Other", clinic=southside, clinician=eve
    )
    practise(other, days_ago=1)
    for _ in range(2):  # the second time from the cache
        mine, theirs = dashboard_of(client, bob), dashboard_of(client, eve)
        assert "Steady Sue" in mine and "Otto Other" not in mine
        assert "Otto Other" in theirs and "Steady Sue" not in theirs
