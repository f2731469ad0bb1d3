from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from backstretch import access
from backstretch.clinic.models import Invitation
from backstretch.clinic.services import InvitationUnusable, accept_invitation, invite
from tests.sessions import practise

pytestmark = pytest.mark.django_db


def test_a_clinician_sees_their_clinics_patient(bob, patient):
    assert access.get_patient_for_clinician(bob, patient.pk).user == patient


def test_another_clinics_clinician_gets_404_like_a_missing_patient(bob, eve, patient):
    with pytest.raises(Http404):
        access.get_patient_for_clinician(eve, patient.pk)
    with pytest.raises(Http404):
        access.get_patient_for_clinician(eve, 999_999)


def test_a_clinic_admin_who_is_not_a_clinician_sees_no_clinical_data(bob, northside, dana, patient):
    assert list(access.patients_for_clinician(dana)) == []
    assert access.get_clinic_for_admin(dana, northside.pk) == northside


def test_a_patient_opens_no_patient_through_the_clinicians_door(bob, patient, other_patient):
    for asking in (patient, other_patient):
        with pytest.raises(Http404):
            access.get_patient_for_clinician(asking, patient.pk)


def test_accepting_links_patient_to_clinic_and_clinician_and_skips_the_gate(
    bob, northside, patient
):
    patient.refresh_from_db()
    assert patient.patient.clinic == northside
    assert patient.patient.clinician == bob
    assert access.practice_gate(patient) is None


def test_a_self_guided_patient_keeps_their_history_when_joining(bob, northside, other_patient):
    practise(other_patient)
    accept_invitation(invite(northside, bob, "patient", other_patient.email), other_patient)
    assert other_patient.practice_sessions.count() == 1
    assert access.get_patient_for_clinician(bob, other_patient.pk).user == other_patient


def test_an_invitation_works_once_and_expires(bob, northside, django_user_model):
    first = django_user_model.objects.create_user("new@example.org", "new-password-1")
    second = django_user_model.objects.create_user("late@example.org", "late-password-1")
    invitation = invite(northside, bob, "patient", "new@example.org")
    accept_invitation(invitation, first)
    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation, second)
    old = invite(northside, bob, "patient", "late@example.org")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    old.refresh_from_db()
    assert old.state == "expired"
    with pytest.raises(InvitationUnusable):
        accept_invitation(old, second)


def test_an_admin_invites_a_clinician(northside, dana, django_user_model):
    carol = django_user_model.objects.create_user("carol@example.org", "carol-password-1")
    accept_invitation(invite(northside, dana, "clinician", carol.email), carol)
    assert access.clinician_clinic_ids(carol) == [northside.pk]


def test_the_invited_name_becomes_the_new_accounts_name_but_never_overwrites_one(
    bob, northside, django_user_model
):
    nameless = django_user_model.objects.create_user("nina@example.org", "nina-password-1")
    accept_invitation(invite(northside, bob, "patient", nameless.email, "Nina Novak"), nameless)
    nameless.refresh_from_db()
    assert nameless.name == "Nina Novak"
    named = django_user_model.objects.create_user("olly@example.org", "olly-pass-1", name="Olly")
    accept_invitation(invite(northside, bob, "patient", named.email, "Oliver O."), named)
    named.refresh_from_db()
    assert named.name == "Olly"
