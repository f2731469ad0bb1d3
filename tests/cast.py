"""The people the tests meet, and how to make more of them.

The fixtures in tests/conftest.py build each person on request:

- ``patient``: Alice, a self-guided patient (Europe/London) on the daily-four routine;
- ``other_patient``: Charlie, another self-guided patient, who must never see Alice's data;
- ``northside``, with ``bob`` (a clinician, who invited Alice: she is his patient there) and
  ``dana`` (the clinic's admin, not a clinician);
- ``southside``, with ``eve`` (a clinician) and ``frank`` (the clinic's admin): the other
  clinic, which sees none of Northside's people.

The builders below are for the extra patients and staff a test needs beside them.

Staff made by ``make_staff`` have an authenticator app (``give_second_factor``, one known
secret), and a test client's ``force_login`` of anyone with one passes the second step too
(``pass_second_step``, wired in tests/conftest.py): the cast's staff reach the clinic as after
a full sign-in. A test of the second step itself logs in through the log-in page instead.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic, Membership
from backstretch.clinic.services import accept_invitation, invite
from backstretch.routines.models import RoutineVersion
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
        on_routine(user, template)
    return user


# Sessions must start after the routine version they follow was made: the cast has been on
# theirs this long, so a test may store sessions from any day of the last year.
ON_ROUTINE_FOR = timedelta(days=400)


def on_routine(user: User, template: str) -> None:
    """``user`` starts ``template``'s routine, made ``ON_ROUTINE_FOR`` ago."""
    routine = start_routine_from_template(user, template)
    RoutineVersion.objects.filter(routine=routine).update(
        created_at=timezone.now() - ON_ROUTINE_FOR
    )


def make_staff(
    clinic: Clinic, email: str, password: str, name: str = "", *, clinician: bool = True
) -> User:
    """A clinician at ``clinic``, or (``clinician=False``) its admin, who is not a clinician."""
    user = User.objects.create_user(email, password, name=name)
    Membership.objects.create(
        clinic=clinic, user=user, is_clinician=clinician, is_admin=not clinician
    )
    give_second_factor(user)
    return user


# RFC 6238's own test secret ("12345678901234567890"): every test phone holds it.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def give_second_factor(user: User) -> TOTPDevice:
    """``user`` set up an authenticator app (confirmed) with ``TEST_TOTP_KEY``."""
    return TOTPDevice.objects.create(
        user=user, name="Test phone", key=TEST_TOTP_KEY, confirmed=True
    )


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The six digits ``device``'s app shows now (or ``steps_ahead`` periods of 30 s later:
    the device takes the next one too, and never the same one twice)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next one if the current one was
    used already (a code is never accepted twice)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    return code_now(device, max(0, device.last_t + 1 - now))


def pass_second_step(client: Client, user: User) -> None:
    """The client's session passed the second step with ``user``'s app, if they have one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def join(clinic: Clinic, clinician: User, patient: User) -> User:
    """``patient`` accepts ``clinician``'s invitation to ``clinic``, as through the link
    (agreeing to move, if they were another clinic's patient)."""
    invitation = invite(clinic, clinician, "patient", patient.email)
    accept_invitation(invitation, patient, consent_to_move=True)
    patient.refresh_from_db()
    return patient


def cleared(user: User) -> User:
    """``user`` answered the red-flag questions with nothing to worry about."""
    RedFlagScreen.objects.create(user=user, answers={}, urgency="clear")
    return user
