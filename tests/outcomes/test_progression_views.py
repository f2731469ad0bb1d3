"""The clinician's progression panel and settings, and the patient's "your routine changed"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backstretch.outcomes.models import ProgressionProposal, ProgressionSettings
from backstretch.routines.services import active_routine
from tests.sessions import minutes_ago, practise

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def pending_step_up(patient):
    ProgressionSettings.objects.create(
        routine=active_routine(patient), mode="propose", sessions_needed=2
    )
    practise(patient, ended=minutes_ago(300))
    practise(patient, ended=minutes_ago(200))
    return ProgressionProposal.objects.get(status="pending")


def test_the_patient_page_shows_a_pending_proposal_and_accept_saves_a_version(patient, bob):
    proposal = pending_step_up(patient)
    bob_client = client_for(bob)
    page = bob_client.get(reverse("clinic:patient", args=[patient.pk])).content.decode()
    assert "Step up proposed" in page and proposal.reason in page
    assert "Accept: save a new version" in page
    url = reverse("clinic:progression_decide", args=[patient.pk])
    response = bob_client.post(url, {"proposal": proposal.pk, "decision": "accept"}, follow=True)
    page = response.content.decode()
    assert "Saved as a new version. The patient sees the reason." in page
    assert "Step up proposed" not in page
    version = active_routine(patient).current
    assert version.number == 2 and version.reason == proposal.reason
    # The history lists the reason; a second click on the same proposal changes nothing.
    history = bob_client.get(reverse("clinic:routine_history", args=[patient.pk])).content.decode()
    assert proposal.reason in history
    response = bob_client.post(url, {"proposal": proposal.pk, "decision": "accept"}, follow=True)
    assert "out of date" in response.content.decode()
    assert active_routine(patient).current.number == 2


def test_decline_keeps_the_routine_and_an_empty_answer_names_what_is_missing(patient, bob):
    proposal = pending_step_up(patient)
    bob_client = client_for(bob)
    url = reverse("clinic:progression_decide", args=[patient.pk])
    response = bob_client.post(url, {"proposal": proposal.pk})
    assert response.status_code == 400 and "Choose Accept or Decline" in response.content.decode()
    bob_client.post(url, {"proposal": proposal.pk, "decision": "decline"})
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.decided_by == bob
    assert active_routine(patient).current.number == 1


def test_another_clinics_clinician_gets_404_and_changes_nothing(patient, bob, eve):
    proposal = pending_step_up(patient)
    eve_client = client_for(eve)
    url = reverse("clinic:progression_decide", args=[patient.pk])
    assert eve_client.post(url, {"proposal": proposal.pk, "decision": "accept"}).status_code == 404
    assert eve_client.get(reverse("clinic:progression", args=[patient.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "pending" and active_routine(patient).current.number == 1


def test_settings_from_the_builder_panel_are_saved_and_bad_numbers_are_named(patient, bob):
    bob_client = client_for(bob)
    builder = bob_client.get(reverse("clinic:routine", args=[patient.pk])).content.decode()
    assert "Progression that follows the pain" in builder
    url = reverse("clinic:progression", args=[patient.pk])
    data = {"mode": "auto", "sessions_needed": "4", "max_repetitions": "12", "next": "builder"}
    response = bob_client.post(url, data)
    assert response["Location"] == reverse("clinic:routine", args=[patient.pk])
    saved = ProgressionSettings.objects.get()
    assert (saved.mode, saved.sessions_needed, saved.max_repetitions) == ("auto", 4, 12)
    assert saved.max_hold_seconds is None
    response = bob_client.post(
        url, {"mode": "auto", "sessions_needed": "1", "max_hold_seconds": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Calm sessions before a step up: Give a whole number of sessions from 2 to 30." in page
    assert "Longest hold, seconds: Give a whole number of seconds from 1 to 900" in page
    assert ProgressionSettings.objects.get().sessions_needed == 4


def test_the_patient_sees_the_change_and_its_reason_until_they_say_ok(patient, bob):
    proposal = pending_step_up(patient)
    bob_client = client_for(bob)
    bob_client.post(
        reverse("clinic:progression_decide", args=[patient.pk]),
        {"proposal": proposal.pk, "decision": "accept"},
    )
    alice = client_for(patient)
    page = alice.get(reverse("practice:today")).content.decode()
    assert "Your routine changed" in page and proposal.reason in page
    assert "Changed by your clinician" in page
    alice.post(reverse("outcomes:notice_seen"))
    assert "Your routine changed" not in alice.get(reverse("practice:today")).content.decode()


def test_the_clinician_sees_that_the_safety_questions_were_asked_again(patient, bob):
    practise(patient, pain_before=2, pain_after=6)
    page = client_for(bob).get(reverse("clinic:patient", args=[patient.pk]))
    text = page.content.decode()
    assert "safety questions asked again" in text and "Waiting for the answers" in text
