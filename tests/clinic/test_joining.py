"""An invitation is for the address it was sent to; moving from another clinic needs consent.

The issue's case: a patient of Southside opened a Northside link meant for someone else,
joined, and Northside could read her sessions while Southside lost them, unlogged.
"""

import pytest
from django.urls import reverse

from backstretch import access
from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent, Invitation
from backstretch.clinic.services import (
    ConsentNeeded,
    InvitationNotYours,
    accept_invitation,
    invite,
)
from tests.cast import join, make_patient
from tests.sessions import practise

pytestmark = pytest.mark.django_db

NOT_YOURS = "This invitation is for someone else"


def signup_data(email):
    return {
        "email": email,
        "password": "a quiet morning stretch",
        "password_again": "a quiet morning stretch",
        "preferred_position": "bed",
        "daily_time": "07:30",
        "time_zone": "Europe/Paris",
    }


@pytest.fixture
def maya(southside, eve):
    """Eve's patient at Southside, with three sessions."""
    user = make_patient("maya@example.org", "maya-password-1", "Maya", clinic=southside)
    join(southside, eve, user)
    for days_ago in (1, 2, 3):
        practise(user, days_ago=days_ago)
    return user


def accept_url(invitation):
    return reverse("clinic:accept", args=[invitation.token])


def test_a_new_account_gets_the_invited_address_whatever_is_posted(client, northside, bob):
    invitation = invite(northside, bob, "patient", "nia@example.org")
    page = client.get(accept_url(invitation)).content.decode()
    assert 'value="nia@example.org"' in page and "disabled" in page

    response = client.post(accept_url(invitation), signup_data("someone-else@example.org"))

    assert response["Location"] == reverse("practice:today")
    assert not User.objects.filter(email="someone-else@example.org").exists()
    assert User.objects.get(email="nia@example.org").patient.clinic == northside


def test_someone_else_logged_in_is_refused_and_nothing_changes(client, northside, bob, maya, eve):
    invitation = invite(northside, bob, "patient", "someone@example.org")
    client.force_login(maya)

    shown = client.get(accept_url(invitation))
    posted = client.post(accept_url(invitation), {"consent": "yes"})

    for response in (shown, posted):
        assert response.status_code == 403
        body = response.content.decode()
        assert NOT_YOURS in body and "You are logged in as maya@example.org" in body
        assert "someone@example.org" not in body  # the link tells a stranger nothing more
    maya.refresh_from_db()
    assert maya.patient.clinic.name == "Southside"
    assert access.get_patient_for_clinician(eve, maya.pk).user == maya
    assert not access.patients_for_clinician(bob).filter(user=maya).exists()
    invitation.refresh_from_db()
    assert invitation.usable
    assert not AuditEvent.objects.filter(patient=maya, action="change").exists()


def test_a_staff_invitation_is_bound_too(client, northside, dana, bob):
    invitation = invite(northside, dana, Invitation.Kind.CLINIC_ADMIN, "new-admin@example.org")
    client.force_login(bob)
    assert client.post(accept_url(invitation)).status_code == 403
    assert not access.admin_clinic_ids(bob)


def test_the_service_refuses_another_address(northside, bob, other_patient):
    invitation = invite(northside, bob, "patient", "someone@example.org")
    with pytest.raises(InvitationNotYours):
        accept_invitation(invitation, other_patient)
    other_patient.patient.refresh_from_db()
    assert other_patient.patient.clinic is None


def test_a_patient_of_another_clinic_sees_what_moves_and_must_agree(
    client, northside, bob, maya, eve
):
    invitation = invite(northside, bob, "patient", "Maya@Example.org")
    client.force_login(maya)

    page = client.get(accept_url(invitation))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Move from Southside to Northside?" in body
    assert "Northside will see" in body and "Southside will stop seeing it" in body
    for what in ("every session", "pain scores", "notes", "messages"):
        assert what in body
    assert 'name="consent"' in body

    unticked = client.post(accept_url(invitation))
    assert unticked.status_code == 400
    assert "Tick the box to say you agree to move" in unticked.content.decode()
    maya.refresh_from_db()
    assert maya.patient.clinic.name == "Southside"
    assert not AuditEvent.objects.filter(patient=maya, action="change").exists()

    moved = client.post(accept_url(invitation), {"consent": "yes"})

    assert moved["Location"] == reverse("practice:today")
    maya.refresh_from_db()
    assert maya.patient.clinic == northside and maya.patient.clinician == bob
    assert access.get_patient_for_clinician(bob, maya.pk).user.practice_sessions.count() == 3
    assert not access.patients_for_clinician(eve).filter(user=maya).exists()
    # Both clinics' logs say so, each in its own words.
    southside_log = AuditEvent.objects.filter(clinic=eve.memberships.get().clinic, patient=maya)
    assert list(southside_log.filter(action="change").values_list("what", "actor")) == [
        ("moved to Northside with the patient's consent", maya.pk)
    ]
    northside_log = AuditEvent.objects.filter(clinic=northside, patient=maya, action="change")
    assert set(northside_log.values_list("what", flat=True)) == {
        "moved here from Southside with the patient's consent",
        "joined the clinic as patient",
    }


def test_the_service_asks_for_consent_before_a_move(northside, bob, maya):
    invitation = invite(northside, bob, "patient", maya.email)
    with pytest.raises(ConsentNeeded) as needed:
        accept_invitation(invitation, maya)
    assert needed.value.leaving.name == "Southside"
    maya.patient.refresh_from_db()
    assert maya.patient.clinic.name == "Southside"


def test_a_self_guided_patient_joins_without_a_move_page(client, northside, bob, other_patient):
    invitation = invite(northside, bob, "patient", other_patient.email)
    client.force_login(other_patient)
    body = client.get(accept_url(invitation)).content.decode()
    assert "Join Northside" in body and 'name="consent"' not in body
    assert client.post(accept_url(invitation))["Location"] == reverse("practice:today")
