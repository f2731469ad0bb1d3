"""Closing the loop on the dashboard and the patient page: a reason dealt with, a red-flag
lock cleared by a clinician of the patient's clinic, the invite button for every clinician."""

from datetime import timedelta

import pytest
from django.urls import reverse

from backstretch import access
from backstretch.clinic.models import AuditEvent, DealtWith
from backstretch.outcomes.models import PegCheckin
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS
from tests.cast import make_patient
from tests.sessions import practise

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("clinic:dashboard")


def call_list(client):
    return [row.profile.user.email for row in client.get(DASHBOARD).context["needs_call"]]


def rows_of(client, email):
    response = client.get(DASHBOARD)
    (row,) = [r for r in response.context["needs_call"] if r.profile.user.email == email]
    return [line.kind for line in row.reasons]


@pytest.fixture
def lena(northside, bob):
    """A patient of Bob's who practised daily, then had a jump from 6 to 9 yesterday."""
    user = make_patient(
        "lena@example.org", "lena-password-1", "Lena", clinic=northside, clinician=bob
    )
    for days_ago in range(2, 10):
        practise(user, days_ago=days_ago)
    practise(user, days_ago=1, pain_before=6, pain_after=9, note="Had to stop, it flared up.")
    return user


@pytest.fixture
def olive(northside, bob):
    user = make_patient(
        "olive@example.org", "olive-password-1", "Olive", clinic=northside, clinician=bob
    )
    for days_ago in range(1, 5):
        practise(user, days_ago=days_ago)
    return user


def test_a_pain_jump_with_its_recheck_ranks_first(client, bob, lena, patient):
    silent = make_patient("sam@example.org", "sam-password-1", "Sam", clinic=lena.patient.clinic)
    practise(silent, days_ago=6)
    client.force_login(bob)
    assert call_list(client)[0] == "lena@example.org"
    assert rows_of(client, "lena@example.org") == ["recheck", "pain_jump"]
    body = client.get(DASHBOARD).content.decode()
    assert "Pain jumped from 6 to 9 in one session" in body
    assert "Asked the red-flag questions again" in body


def test_a_worse_weekly_check_in_is_a_reason(client, bob, olive):
    today = olive.today()
    for weeks, pain in ((3, 3), (2, 3), (1, 3), (0, 6)):
        PegCheckin.objects.update_or_create(
            patient=olive,
            local_date=today - timedelta(weeks=weeks),
            defaults={"pain": pain, "enjoyment": pain, "activity": pain},
        )
    client.force_login(bob)
    assert rows_of(client, "olive@example.org") == ["peg_worse"]
    assert "Weekly check-in worse: 6.0 out of 10" in client.get(DASHBOARD).content.decode()


def test_dealt_with_clears_the_reason_until_something_new_comes_in(client, bob, lena):
    client.force_login(bob)
    url = reverse("clinic:dealt_with", args=[lena.pk, "pain_jump"])
    assert url in client.get(DASHBOARD).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Pain jumped from 6 to 9" in page.content.decode()

    too_long = client.post(url, {"note": "x" * 201})
    assert too_long.status_code == 400
    assert "Keep the note to 200 characters or fewer (it has 201)" in too_long.content.decode()
    assert not DealtWith.objects.exists()

    done = client.post(url, {"note": "Called: sore, no new symptoms."})
    assert done.url == DASHBOARD
    assert rows_of(client, "lena@example.org") == ["recheck"]
    mark = DealtWith.objects.get()
    assert (mark.kind, mark.note, mark.by, mark.patient) == (
        "pain_jump",
        "Called: sore, no new symptoms.",
        bob,
        lena,
    )
    assert AuditEvent.objects.filter(
        actor=bob, patient=lena, action="change", what="dashboard reason dealt with: pain_jump"
    ).exists()

    RedFlagScreen.objects.create(
        user=lena, answers=dict.fromkeys(QUESTION_KEYS, False), urgency="clear"
    )
    practise(lena, pain_before=5, pain_after=5)  # a new fact after the mark
    assert "pain_jump" in rows_of(client, "lena@example.org")


def test_a_locking_red_flag_cannot_be_marked_dealt_with(client, bob, lena):
    RedFlagScreen.objects.create(
        user=lena, answers={"bladder": True}, urgency="emergency", context="pain_jump"
    )
    client.force_login(bob)
    assert (
        reverse("clinic:dealt_with", args=[lena.pk, "red_flag"])
        not in client.get(DASHBOARD).content.decode()
    )
    refused = client.post(reverse("clinic:dealt_with", args=[lena.pk, "red_flag"]), {})
    assert refused.url == DASHBOARD
    assert not DealtWith.objects.exists()
    assert client.get(reverse("clinic:dealt_with", args=[lena.pk, "no_such"])).status_code == 404


def test_a_clinician_of_the_clinic_clears_a_red_flag_lock(client, bob, eve, lena):
    screen = RedFlagScreen.objects.create(
        user=lena, answers={"bladder": True}, urgency="emergency", context="pain_jump"
    )
    from backstretch.safety.rescreen import answer

    answer(lena, screen)
    assert access.practice_gate(lena) == access.Gate.NEEDS_CLEARANCE
    clear = reverse("clinic:clear_red_flag", args=[lena.pk])

    client.force_login(eve)
    assert client.post(clear, {"checked": "on"}).status_code == 404
    client.force_login(bob)
    page = client.get(reverse("clinic:patient", args=[lena.pk])).content.decode()
    assert "pointed to emergency care: routine locked" in page
    unticked = client.post(clear, {})
    assert unticked.url.endswith("#red-flag")
    assert access.practice_gate(lena) == access.Gate.NEEDS_CLEARANCE

    assert client.post(clear, {"checked": "on"}).url == reverse("clinic:patient", args=[lena.pk])
    screen.refresh_from_db()
    assert screen.cleared_by == bob and screen.cleared_at is not None
    assert access.practice_gate(lena) is None
    assert AuditEvent.objects.filter(
        actor=bob, patient=lena, what="red-flag lock cleared (emergency)"
    ).exists()
    page = client.get(reverse("clinic:patient", args=[lena.pk])).content.decode()
    assert "Cleared by Bob on" in page
    assert "red_flag" not in rows_of(client, "lena@example.org")


def test_every_clinician_has_a_button_to_invite_a_patient(client, bob, northside):
    client.force_login(bob)
    body = client.get(DASHBOARD).content.decode()
    assert f'href="{reverse("clinic:invitations")}"' in body and "Invite a patient" in body
    page = client.get(reverse("clinic:invitations")).content.decode()
    assert "clinic_admin" not in page and 'name="kind"' not in page
