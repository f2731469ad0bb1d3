"""Clinic staff are logged out after 30 minutes without a request; patients are not. The test
moves the last-seen time stored in the real session back instead of waiting."""

from __future__ import annotations

from django.urls import reverse

from backstretch.core.idle import LAST_SEEN

DASHBOARD = reverse("clinic:dashboard")


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN] -= minutes * 60
    session.save()


def test_a_clinician_idle_for_31_minutes_is_logged_out_and_told_why(client, bob):
    client.force_login(bob)
    assert client.get(DASHBOARD).status_code == 200
    idle_for(client, 29)
    assert client.get(DASHBOARD).status_code == 200  # 29 minutes: still there
    idle_for(client, 31)
    answer = client.get(DASHBOARD, follow=True)
    assert answer.redirect_chain[0][0] == f"{reverse('login')}?next=%2Fclinic%2F"
    assert "logged out after 30 minutes without activity" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_each_request_counts_as_activity(client, bob):
    client.force_login(bob)
    client.get(DASHBOARD)
    for _ in range(3):  # 20 minutes, a click, 20 minutes, a click...
        idle_for(client, 20)
        assert client.get(DASHBOARD).status_code == 200


def test_the_api_answers_json_when_a_clinicians_session_has_gone_idle(client, bob):
    client.force_login(bob)
    client.get(DASHBOARD)
    idle_for(client, 31)
    answer = client.get("/api/v1/patients")
    assert answer.status_code == 401
    assert "logged out after 30 minutes" in answer.json()["detail"]


def test_the_limit_is_a_setting(client, bob, settings):
    settings.BACKSTRETCH_STAFF_IDLE_MINUTES = 5
    client.force_login(bob)
    client.get(DASHBOARD)
    idle_for(client, 6)
    assert client.get(DASHBOARD).url.startswith(reverse("login"))


def test_a_patient_keeps_their_session_however_long_between_visits(client, patient):
    client.force_login(patient)
    client.get(reverse("library:list"))
    session = client.session
    assert LAST_SEEN not in session  # nothing is kept (or written) for a patient
    session[LAST_SEEN] = 0  # as if a clinic account had been idle since 1970
    session.save()
    assert client.get(reverse("library:list")).status_code == 200
    assert "_auth_user_id" in client.session
