"""Clinic workflows: invitations, joining a clinic, and the audit trail."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from backstretch.accounts.models import PatientProfile, User

from .models import AuditEvent, Clinic, Invitation, Membership


class InvitationUnusable(Exception):
    """The link was already used, revoked, or has expired."""


class InvitationNotYours(Exception):
    """The invitation was sent to another e-mail address than the account's."""


class ConsentNeeded(Exception):
    """Accepting would move a patient away from another clinic: they must agree first."""

    def __init__(self, leaving: Clinic) -> None:
        super().__init__(leaving.name)
        self.leaving = leaving


def clinic_left_by_accepting(invitation: Invitation, user: User) -> Clinic | None:
    """The clinic a patient would leave (and that would stop seeing their records) by accepting
    this patient invitation; None when they belong to no other clinic."""
    if invitation.kind != Invitation.Kind.PATIENT:
        return None
    profile = PatientProfile.objects.filter(user=user).select_related("clinic").first()
    if profile is None or profile.clinic is None or profile.clinic_id == invitation.clinic_id:
        return None
    return profile.clinic


def audit(actor: User, patient: User | None, clinic: Clinic, action: str, what: str) -> None:
    AuditEvent.objects.create(clinic=clinic, actor=actor, patient=patient, action=action, what=what)


def audit_listing(actor: User, profiles: Iterable[PatientProfile], what: str) -> None:
    """A list of patients read (the dashboard, the API's list): one event per clinic listed,
    naming how many of its patients were on the list (one event per patient would bury the
    log under every refresh of the dashboard)."""
    counts = Counter(profile.clinic_id for profile in profiles if profile.clinic_id is not None)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            clinic_id=clinic_id,
            actor=actor,
            action=AuditEvent.Action.VIEW,
            what=f"{what}: {count} patient{'s' if count != 1 else ''}"[:200],
        )
        for clinic_id, count in sorted(counts.items())
    )


ERASURE_NOTICE_DAYS = 14


@dataclass(frozen=True)
class Erasure:
    at: datetime
    label: str  # "erased record #12", as the audit log names them now


def recent_erasures(clinician: User) -> list[Erasure]:
    """The clinics' patients who deleted their account lately (records.erasure writes these
    entries): the dashboard tells their clinicians, since the audit log is the admins'."""
    since = timezone.now() - timedelta(days=ERASURE_NOTICE_DAYS)
    events = AuditEvent.objects.filter(
        clinic__memberships__user=clinician,
        clinic__memberships__is_clinician=True,
        action=AuditEvent.Action.ERASE,
        at__gte=since,
    ).order_by("-at")[:5]
    return [Erasure(event.at, event.what.split(":")[0]) for event in events]


def invite(
    clinic: Clinic, invited_by: User, kind: str, email: str, name: str = "", language: str = ""
) -> Invitation:
    return Invitation.objects.create(
        clinic=clinic,
        invited_by=invited_by,
        kind=kind,
        email=email.strip().lower(),
        name=name,
        language=language,
    )


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User, *, consent_to_move: bool = False) -> None:
    """Link ``user`` to the inviting clinic, once. An existing patient keeps their history.

    Only the invited address may accept (InvitationNotYours). A patient of another clinic moves
    only with ``consent_to_move`` (else ConsentNeeded); the move is written to both clinics'
    audit logs, since one starts and the other stops seeing the patient's records.
    """
    locked = Invitation.objects.select_for_update().select_related("clinic").get(pk=invitation.pk)
    if not locked.usable:
        raise InvitationUnusable(locked.state)
    if not locked.is_for(user.email):
        raise InvitationNotYours(locked.email)
    leaving = clinic_left_by_accepting(locked, user)
    if leaving is not None and not consent_to_move:
        raise ConsentNeeded(leaving)
    if leaving is not None:
        audit(
            user,
            user,
            leaving,
            "change",
            f"moved to {locked.clinic.name} with the patient's consent"[:200],
        )
        audit(
            user,
            user,
            locked.clinic,
            "change",
            f"moved here from {leaving.name} with the patient's consent"[:200],
        )
    if locked.name and not user.name:
        # The name the clinician typed is how the clinic knows them; an own name wins.
        user.name = locked.name
        user.save(update_fields=["name"])
    if locked.language and not user.language:
        # Likewise the language the clinician chose, unless the person chose one themselves.
        user.language = locked.language
        user.save(update_fields=["language"])
    if locked.kind == Invitation.Kind.PATIENT:
        profile, _ = PatientProfile.objects.get_or_create(user=user)
        profile.clinic = locked.clinic
        profile.clinician = locked.invited_by
        # The clinician screened them in person; the player's stop guidance still applies.
        profile.screened_by_clinician = True
        profile.save()
    else:
        membership, _ = Membership.objects.get_or_create(
            clinic=locked.clinic, user=user, defaults={"is_clinician": False}
        )
        if locked.kind == Invitation.Kind.CLINICIAN:
            membership.is_clinician = True
        else:
            membership.is_admin = True
        membership.save()
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
