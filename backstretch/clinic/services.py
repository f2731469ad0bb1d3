"""Clinic workflows: invitations, joining a clinic, and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from backstretch.accounts.models import PatientProfile, User

from .models import AuditEvent, Clinic, Invitation, Membership


class InvitationUnusable(Exception):
    """The link was already used, revoked, or has expired."""


def audit(actor: User, patient: User | None, clinic: Clinic, action: str, what: str) -> None:
    AuditEvent.objects.create(clinic=clinic, actor=actor, patient=patient, action=action, what=what)


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


def invite(clinic: Clinic, invited_by: User, kind: str, email: str, name: str = "") -> Invitation:
    return Invitation.objects.create(
        clinic=clinic, invited_by=invited_by, kind=kind, email=email.strip().lower(), name=name
    )


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> None:
    """Link ``user`` to the inviting clinic, once. An existing patient keeps their history."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.usable:
        raise InvitationUnusable(locked.state)
    if locked.name and not user.name:
        # The name the clinician typed is how the clinic knows them; an own name wins.
        user.name = locked.name
        user.save(update_fields=["name"])
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
