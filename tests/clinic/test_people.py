from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch import access
from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent, Invitation, Membership
from backstretch.clinic.services import accept_invitation, audit, invite
from tests.cast import code_now
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)
from tests.sessions import practise

pytestmark = pytest.mark.django_db

UNUSABLE = "This invitation link no longer works"


def signup_data(email="new@example.org", **extra):
    data = {
        "email": email,
        "password": "a quiet morning stretch",
        "password_again": "a quiet morning stretch",
        "preferred_position": "bed",
        "daily_time": "07:30",
        "time_zone": "Europe/Paris",
    }
    data.update(extra)
    return data


def test_a_clinician_creates_an_invitation_and_sees_its_link(client, northside, bob):
    client.force_login(bob)
    response = client.post(
        reverse("clinic:invitations"), {"email": " New@Example.org ", "name": "Nia"}
    )
    invitation = Invitation.objects.get(email="new@example.org")
    assert response.status_code == 302
    assert invitation.clinic == northside and invitation.invited_by == bob
    assert invitation.kind == "patient"
    page = client.get(reverse("clinic:invitations")).content.decode()
    assert f"/invite/{invitation.token}/" in page
    assert reverse("clinic:invitation_qr", args=[invitation.pk]) in page


def test_invite_then_accept_as_a_new_user_lands_on_today(client, northside, bob):
    invitation = invite(northside, bob, "patient", "new@example.org")
    page = client.get(reverse("clinic:accept", args=[invitation.token]))
    assert page.status_code == 200
    assert "Northside" in page.content.decode() and "Bob" in page.content.decode()
    assert 'value="new@example.org"' in page.content.decode()

    response = client.post(reverse("clinic:accept", args=[invitation.token]), signup_data())

    assert response.status_code == 302 and response["Location"] == reverse("practice:today")
    user = User.objects.get(email="new@example.org")
    assert user.patient.clinic == northside and user.patient.clinician == bob
    assert user.patient.preferred_position == "bed"
    assert access.practice_gate(user) is None  # the red-flag gate is skipped
    today = client.get(reverse("practice:today"))
    assert today.status_code == 200  # the empty state: no routine until Bob builds one
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_joining_by_invitation_mails_a_link_to_confirm_the_address(client, northside, bob, smtp):
    """The invitation was handed over, not mailed: it proves nothing about the address."""
    invitation = invite(northside, bob, "patient", "new@example.org")
    client.post(reverse("clinic:accept", args=[invitation.token]), signup_data())
    assert not User.objects.get(email="new@example.org").email_verified
    [message] = smtp.wait_for(1)
    assert message["To"] == "new@example.org"
    assert "/accounts/verify/" in smtp.text(message)


def test_a_logged_in_self_guided_patient_joins_and_keeps_their_sessions(
    client, northside, bob, other_patient
):
    practise(other_patient)
    invitation = invite(northside, bob, "patient", other_patient.email)
    client.force_login(other_patient)
    page = client.get(reverse("clinic:accept", args=[invitation.token])).content.decode()
    assert "Join Northside" in page and "password" not in page.lower()

    response = client.post(reverse("clinic:accept", args=[invitation.token]))

    assert response["Location"] == reverse("practice:today")
    assert other_patient.practice_sessions.count() == 1
    assert other_patient.routines.count() == 1
    assert access.get_patient_for_clinician(bob, other_patient.pk).user == other_patient


def _expired(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def _revoked(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())


def _used(invitation):
    someone = User.objects.create_user(invitation.email, "first-password-1")
    accept_invitation(invitation, someone)


@pytest.mark.parametrize("spoil", [_expired, _revoked, _used], ids=["expired", "revoked", "used"])
def test_an_unusable_link_shows_a_friendly_page_and_creates_nothing(client, northside, bob, spoil):
    invitation = invite(northside, bob, "patient", "late@example.org")
    spoil(invitation)
    users = User.objects.count()
    url = reverse("clinic:accept", args=[invitation.token])

    shown = client.get(url)
    posted = client.post(url, signup_data("late@example.org"))

    for response in (shown, posted):
        assert response.status_code == 404
        assert UNUSABLE in response.content.decode()
        assert "Northside" not in response.content.decode()
    assert User.objects.count() == users


def test_an_unknown_token_looks_exactly_like_a_used_one(client):
    response = client.post(reverse("clinic:accept", args=["no-such-token"]), signup_data())
    assert response.status_code == 404
    assert UNUSABLE in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_second_use_by_a_logged_in_user_changes_nothing(
    client, northside, bob, eve, other_patient
):
    invitation = invite(northside, bob, "patient", other_patient.email)
    accept_invitation(invitation, other_patient)
    client.force_login(eve)
    response = client.post(reverse("clinic:accept", args=[invitation.token]))
    assert response.status_code == 404
    assert not hasattr(User.objects.get(pk=eve.pk), "patient")


def test_an_invalid_sign_up_keeps_the_link_open(client, northside, bob):
    invitation = invite(northside, bob, "patient", "new@example.org")
    response = client.post(
        reverse("clinic:accept", args=[invitation.token]), signup_data(password_again="other")
    )
    assert response.status_code == 200
    assert "not the same" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.usable


def test_an_admin_invites_a_clinician_who_then_reaches_the_dashboard(client, northside, dana):
    client.force_login(dana)
    client.post(
        reverse("clinic:members", args=[northside.pk]),
        {"email": "carol@example.org", "kind": "clinician"},
    )
    invitation = Invitation.objects.get(email="carol@example.org")
    assert invitation.kind == "clinician"
    client.logout()

    data = signup_data("carol@example.org")
    response = client.post(reverse("clinic:accept", args=[invitation.token]), data)

    assert response.status_code == 302 and response["Location"].rstrip("/") == "/clinic"
    carol = User.objects.get(email="carol@example.org")
    assert access.clinician_clinic_ids(carol) == [northside.pk]
    assert not hasattr(carol, "patient")  # a colleague is not made a patient
    # Before any clinic page, a new clinician sets up two-step sign-in.
    setup = client.get(reverse("clinic:invitations"), follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("accounts:twofactor_setup"))
    device = TOTPDevice.objects.get(user=carol)
    client.post(reverse("accounts:twofactor_setup"), {"code": code_now(device)})
    page = client.get(reverse("clinic:invitations"))
    assert page.status_code == 200 and "Northside" in page.content.decode()


def test_the_members_page_lists_roles_and_removes_a_member(client, northside, bob, dana):
    client.force_login(dana)
    page = client.get(reverse("clinic:members", args=[northside.pk])).content.decode()
    assert "bob@example.org" in page and "Clinic admin" in page
    bob_membership = Membership.objects.get(user=bob)
    client.post(reverse("clinic:member_remove", args=[northside.pk, bob_membership.pk]))
    assert access.clinician_clinic_ids(bob) == []
    own = Membership.objects.get(user=dana)
    client.post(reverse("clinic:member_remove", args=[northside.pk, own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()  # no one removes themselves


@pytest.mark.parametrize("who", ["bob", "eve", "alice"])
def test_non_admins_cannot_see_members_or_audit(client, northside, bob, eve, patient, who):
    client.force_login({"bob": bob, "eve": eve, "alice": patient}[who])
    assert client.get(reverse("clinic:members", args=[northside.pk])).status_code == 404
    assert client.get(reverse("clinic:audit", args=[northside.pk])).status_code == 404


def test_an_admin_of_another_clinic_sees_and_removes_nothing_here(
    client, northside, southside, bob, frank
):
    client.force_login(frank)
    assert client.get(reverse("clinic:members", args=[southside.pk])).status_code == 200
    assert client.get(reverse("clinic:members", args=[northside.pk])).status_code == 404
    assert client.get(reverse("clinic:audit", args=[northside.pk])).status_code == 404
    bobs = Membership.objects.get(user=bob)
    # Neither through Northside's address nor by pairing Bob's membership with Southside.
    for clinic in (northside, southside):
        response = client.post(reverse("clinic:member_remove", args=[clinic.pk, bobs.pk]))
        assert response.status_code == 404
    assert Membership.objects.filter(pk=bobs.pk).exists()


def test_the_audit_log_is_newest_first_and_filters_by_patient_and_person(
    client, northside, bob, dana, patient
):
    audit(bob, patient, northside, "view", "patient page")
    audit(bob, patient, northside, "change", "routine v2")
    client.force_login(dana)
    url = reverse("clinic:audit", args=[northside.pk])

    page = client.get(url).content.decode()
    assert page.index("routine version 2") < page.index("patient page")

    only_dana = client.get(url, {"actor": dana.pk}).content.decode()
    assert "routine version 2" not in only_dana
    alice = client.get(url, {"patient": patient.pk}).content.decode()
    assert "routine version 2" in alice and "patient page" in alice


def test_the_audit_log_is_paginated(client, northside, bob, dana, patient):
    AuditEvent.objects.bulk_create(
        AuditEvent(clinic=northside, actor=bob, patient=patient, action="view", what=f"page {i}")
        for i in range(60)
    )
    client.force_login(dana)
    response = client.get(reverse("clinic:audit", args=[northside.pk]), {"page": 2})
    assert response.status_code == 200
    assert "Page 2 of 2" in response.content.decode()


def test_the_qr_code_is_svg_for_the_inviting_clinic_only(client, northside, bob, dana, eve):
    invitation = invite(northside, bob, "patient", "new@example.org")
    url = reverse("clinic:invitation_qr", args=[invitation.pk])
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    for outsider in (eve, dana):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_revoking_needs_the_clinic_and_closes_the_link(client, northside, bob, eve):
    invitation = invite(northside, bob, "patient", "new@example.org")
    url = reverse("clinic:invitation_revoke", args=[invitation.pk])
    client.force_login(eve)
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "open"
    client.force_login(bob)
    client.post(url)
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_a_clinician_of_two_clinics_picks_where_to_invite(client, northside, southside, bob, eve):
    Membership.objects.create(clinic=southside, user=bob, is_clinician=True)
    client.force_login(bob)
    page = client.get(reverse("clinic:invitations"), {"clinic": southside.pk}).content.decode()
    assert "Southside" in page
    client.post(reverse("clinic:invitations"), {"clinic": southside.pk, "email": "s@example.org"})
    assert Invitation.objects.get(email="s@example.org").clinic == southside
    client.force_login(eve)
    assert client.get(reverse("clinic:invitations"), {"clinic": northside.pk}).status_code == 404


def test_an_account_saved_just_before_the_link_closes_is_kept(client, northside, bob, monkeypatch):
    from backstretch.clinic import views_people
    from backstretch.clinic.services import InvitationUnusable

    invitation = invite(northside, bob, "patient", "new@example.org")

    def closed_meanwhile(invitation, user, **options):
        raise InvitationUnusable("revoked")

    monkeypatch.setattr(views_people, "accept_invitation", closed_meanwhile)
    response = client.post(reverse("clinic:accept", args=[invitation.token]), signup_data())

    assert response.status_code == 404
    assert "Your new account is saved" in response.content.decode()
    user = User.objects.get(email="new@example.org")
    assert user.patient.preferred_position == "bed"
    assert client.get(reverse("accounts:onboarding")).status_code == 302  # logged in


def test_an_admin_revokes_a_colleagues_invitation_but_a_clinician_cannot(
    client, northside, bob, dana
):
    invitation = invite(northside, dana, "clinician", "kim@example.org")
    url = reverse("clinic:invitation_revoke", args=[invitation.pk])
    client.force_login(bob)
    assert client.post(url).status_code == 404
    client.force_login(dana)
    assert client.post(url)["Location"] == reverse("clinic:members", args=[northside.pk])
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
