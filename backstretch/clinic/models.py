from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_LIFETIME = timedelta(days=14)


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person working at a clinic: a clinician, a clinic admin, or both."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_clinician = models.BooleanField(_("clinician"), default=True)
    is_admin = models.BooleanField(_("clinic admin"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="one_membership_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.clinic}"

    @property
    def role(self) -> str:
        return "clinician" if self.is_clinician else "clinic_admin"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry() -> object:
    return timezone.now() + INVITATION_LIFETIME


class Invitation(models.Model):
    """A single-use link that expires: a clinician invites a patient, an admin a colleague."""

    class Kind(models.TextChoices):
        PATIENT = "patient", _("patient")
        CLINICIAN = "clinician", _("clinician")
        CLINIC_ADMIN = "clinic_admin", _("clinic admin")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PATIENT)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    # The language the invited person's pages will be in (a code from settings.LANGUAGES);
    # empty: their browser's. They can change it when joining and later on their profile.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.kind} invitation for {self.email}"

    @property
    def usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    def is_for(self, email: str) -> bool:
        """Whether ``email`` is the address this invitation was sent to (whatever its capitals):
        only that person may use it."""
        return email.strip().lower() == self.email.strip().lower()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class AuditEvent(models.Model):
    """Who read or changed which patient's record, and when. Never edited or deleted by users."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CHANGE = "change", _("changed")
        CREATE = "create", _("created")
        EXPORT = "export", _("exported")
        PRINT = "print", _("printed")
        ERASE = "erase", _("erased")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(max_length=200)  # e.g. "patient page", "routine v3"
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-at",)
        indexes = [models.Index(fields=["clinic", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.what}"


class DealtWith(models.Model):
    """A clinician's "dealt with" on one of the dashboard's reasons to call a patient.

    The reason stays off the dashboard until a new fact about the patient arrives after ``at``
    (``clinic.triage``). Kept, never edited: it is part of the record of who did what.
    """

    NOTE_MAX = 200

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dealt_with_marks"
    )
    kind = models.CharField(max_length=20)  # a triage.Reason.kind
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at",)
        indexes = [models.Index(fields=["patient", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.patient} dealt with by {self.by}"


class Standing(models.Model):
    """Where a patient stands on their clinicians' dashboard, kept so the page need not triage
    the whole caseload on every visit (``clinic.standing``).

    Derived data only, rebuilt from the patient's facts: when ``refresh`` is set (a new
    session, report, screen, check-in, routine, "dealt with" or name arrived:
    ``clinic.receivers``) and after ``valid_until``, the patient's next local midnight (a day
    of silence changes the triage too). ``epoch`` grows with every change, so a dashboard that
    worked from older facts never overwrites a newer mark.
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_standing",
    )
    refresh = models.BooleanField(default=True)
    epoch = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True)
    needs_call = models.BooleanField(default=False)
    # The dashboard's order (clinic.triage.sort_key): most urgent, then longest silent, by name.
    urgency = models.SmallIntegerField(default=0)
    silence = models.IntegerField(default=0)
    name_key = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["needs_call", "-urgency", "-silence", "name_key"], name="standing_order"
            )
        ]

    def __str__(self) -> str:
        return f"standing of patient {self.patient_id}"
