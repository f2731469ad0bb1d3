"""The people the tests meet, and how to make more of them.

The fixtures in tests/conftest.py build each person on request:

- ``patient``: Alice, a self-guided patient (Europe/London) on the daily-four routine;
- ``other_patient``: Charlie, another self-guided patient, who must never see Alice's data;
- ``northside``, with ``bob`` (a clinician, who invited Alice: she is his patient there) and
  ``dana`` (the clinic's admin, not a clinician);
- ``southside``, with ``eve`` (a clinician) and ``frank`` (the clinic's admin): the other
  clinic, which sees none of Northside's people.

The builders below are for the extra patients and staff a test needs beside them.
"""

from __future__ import annotations

from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic, Membership
from backstretch.clinic.services import accept_invitation, invite
from backstretch.routines.services import start_routine_from_template
from backstretch.safety.models import RedFlagScreen


def make_patient(
    email: str,
    password: str,
    name: str = "",
    *,
    clinic: Clinic | None = None,
    clinician: User | None = None,
    template: str | None = "daily-four",
    **fields: object,
) -> User:
    """A patient on ``template``'s routine; with a clinic, screened by their clinician."""
    user = User.objects.create_user(email, password, name=name, **fields)
    PatientProfile.objects.create(
        user=user, clinic=clinic, clinician=clinician, screened_by_clinician=clinic is not None
    )
    if template:
        start_routine_from_template(user, template)
    return user


def make_staff(
    clinic: Clinic, email: str, password: str, name: str = "", *, clinician: bool = True
) -> User:
    """A clinician at ``clinic``, or (``clinician=False``) its admin, who is not a clinician."""
    user = User.objects.create_user(email, password, name=name)
    Membership.objects.create(
        clinic=clinic, user=user, is_clinician=clinician, is_admin=not clinician
    )
    return user


def join(clinic: Clinic, clinician: User, patient: User) -> User:
    """``patient`` accepts ``clinician``'s invitation to ``clinic``, as through the link."""
    accept_invitation(invite(clinic, clinician, "patient", patient.email), patient)
    patient.refresh_from_db()
    return patient


def cleared(user: User) -> User:
    """``user`` answered the red-flag questions with nothing to worry about."""
    RedFlagScreen.objects.create(user=user, answers={}, urgency="clear")
    return user
