"""The only answers to "may this user see or change this thing?".

Every view and API endpoint asks here first. Functions either return a boolean
(``may_*``) or return the object / raise Http404 (``get_*_for``), so that a guessed
id of someone else's record looks exactly like a missing one.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404

from backstretch.accounts import queries as account_queries
from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic, Membership
from backstretch.routines import queries as routine_queries
from backstretch.routines.models import RoutineVersion
from backstretch.safety import queries as safety_queries
from backstretch.safety import rescreen
from backstretch.safety.models import RedFlagScreen

AnyUser = User | AnonymousUser


def get_routine_version_for_patient(user: AnyUser, version_id: int) -> RoutineVersion:
    """A version of one of the user's own routines, else 404 (never reveal others' ids)."""
    if not user.is_authenticated:
        raise Http404
    found = routine_queries.version_of_patient(version_id, user.pk)
    if found is None:
        raise Http404("No such routine version.")
    return found


def is_patient(user: AnyUser) -> bool:
    return bool(user.is_authenticated and patient_profile(user) is not None)


def patient_profile(user: AnyUser) -> PatientProfile | None:
    """``user.patient`` (None for someone who is not a patient), read the first time with one
    plain query and kept on the user where Django's own lookup keeps it: every patient page
    asks, and building the ORM's query cost several times more than running it (issue 17)."""
    if not user.is_authenticated:
        return None
    known = user._state.fields_cache
    if "patient" not in known:
        profile = account_queries.profile_of(user.pk)
        if profile is not None:
            profile._state.fields_cache["user"] = user
        known["patient"] = profile
    found: PatientProfile | None = known["patient"]
    return found


def latest_screen(user: User) -> RedFlagScreen | None:
    return RedFlagScreen.objects.filter(user=user).order_by("-answered_at").first()


class Gate(StrEnum):
    """Why someone may not start a routine yet. Each caller says what to do about it (the
    page to send a browser to, the API's message, the terminal's words)."""

    NOT_LOGGED_IN = "not_logged_in"
    NOT_ONBOARDED = "not_onboarded"  # not set up as a patient yet
    NEEDS_SCREEN = "needs_screen"  # red-flag questions to answer (first time, or asked again)
    NEEDS_CLEARANCE = "needs_clearance"  # new answers need a clinician's check first


def practice_gate(user: AnyUser) -> Gate | None:
    """Why this user may not start a routine yet; None = go.

    A self-guided patient needs a passed red-flag screen, or one whose answers need a
    clinician and a confirmation of being cleared (NEEDS_SCREEN until then). A clinic patient
    (screened in person) whose own later answers need a clinician waits for their clinic to
    clear them (NEEDS_CLEARANCE). Anyone asked the
    red-flag questions again (after sharp pain or a jump in pain) waits until they have
    answered (NEEDS_SCREEN) and, if the new answers need a clinician, been cleared
    (NEEDS_CLEARANCE).
    """
    if not user.is_authenticated:
        return Gate.NOT_LOGGED_IN
    profile = patient_profile(user)
    if profile is None:
        return Gate.NOT_ONBOARDED
    facts = safety_queries.gate_facts(user.pk)
    latest_unlocks = facts[0]
    if not profile.screened_by_clinician:
        if not latest_unlocks:  # never answered, or answers that need a clinician first
            return Gate.NEEDS_SCREEN
    elif latest_unlocks is False:
        # Screened in person, but their own later answers need the clinic to look first.
        return Gate.NEEDS_CLEARANCE
    return rescreen_gate(user, facts)


def rescreen_gate(user: User, facts: tuple[bool | None, bool] | None = None) -> Gate | None:
    """Why being asked the red-flag questions again stops practice; None = go. ``facts``:
    ``safety_queries.gate_facts`` of this user, when the caller already has them."""
    latest_unlocks, asked_again = facts or safety_queries.gate_facts(user.pk)
    if not asked_again:  # the usual case
        return None
    found = rescreen.latest_request(user)
    if found is None:
        return None
    if found.screen is None:
        return Gate.NEEDS_SCREEN
    if latest_unlocks is False:
        return Gate.NEEDS_CLEARANCE
    return None


# --- Clinics --------------------------------------------------------------------------------
# A clinician sees and changes the patients of the clinics where they are a clinician; a
# clinic admin manages members and reads the audit log but sees no clinical data unless they
# are a clinician too, except through the clinic's bulk export (get_clinic_for_bulk_export,
# below). A guessed id of anyone else's patient is a 404, exactly like a missing one.


def clinician_clinic_ids(user: AnyUser) -> list[int]:
    """Kept on the user object, as ``works_at_a_clinic`` is: the dashboard asks three times (the
    view, the patients' query, the messages in the menu), and each request loads its user
    afresh."""
    if not user.is_authenticated:
        return []
    known: tuple[int, ...] | None = user.__dict__.get("_clinician_clinic_ids")
    if known is None:
        known = tuple(
            Membership.objects.filter(user=user, is_clinician=True).values_list(
                "clinic_id", flat=True
            )
        )
        user.__dict__["_clinician_clinic_ids"] = known
    return list(known)


def is_clinician(user: AnyUser) -> bool:
    return bool(clinician_clinic_ids(user))


MEMBER_SQL = f"SELECT 1 FROM {Membership._meta.db_table} WHERE user_id = %s LIMIT 1"


def works_at_a_clinic(user: AnyUser) -> bool:
    """A clinician or clinic admin of any clinic.

    Kept on the user object, as Django keeps a user's permissions (``_perm_cache``): a request
    asks it three times (the second step, the idle sign-out, the menu) and loads its user
    afresh, so a membership made or ended shows from the next request on."""
    if not user.is_authenticated:
        return False
    known: bool | None = user.__dict__.get("_works_at_a_clinic")
    if known is None:
        with connections[Membership.objects.db].cursor() as cursor:
            cursor.execute(MEMBER_SQL, [user.pk])  # every page asks: plain SQL (issue 17)
            known = cursor.fetchone() is not None
        user.__dict__["_works_at_a_clinic"] = known
    return known


def admin_clinic_ids(user: AnyUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_admin=True).values_list("clinic_id", flat=True)
    )


def patients_for_clinician(user: AnyUser) -> QuerySet[PatientProfile]:
    """Every patient of every clinic where ``user`` is a clinician (empty for anyone else)."""
    return PatientProfile.objects.filter(clinic_id__in=clinician_clinic_ids(user)).select_related(
        "user", "clinic", "clinician"
    )


def get_patient_for_clinician(user: AnyUser, patient_user_id: int) -> PatientProfile:
    """The patient (by their user id) if ``user`` is a clinician of their clinic, else 404."""
    profile = patients_for_clinician(user).filter(user_id=patient_user_id).first()
    if profile is None:
        raise Http404("No such patient.")
    return profile


# --- Messages -------------------------------------------------------------------------------
# A patient reads and writes only their own thread (a self-guided patient has none). On the
# clinic's side the thread is part of the patient's record: open to the clinicians of the
# patient's clinic (their own clinician among them), not to a clinic admin who is not a
# clinician, and a 404 for anyone else, as every patient record is.


def may_use_own_messages(user: AnyUser) -> bool:
    return is_patient(user)


def get_patient_for_messages(user: AnyUser, patient_user_id: int) -> PatientProfile:
    """The patient whose thread ``user`` may read and answer for the clinic, else 404."""
    return get_patient_for_clinician(user, patient_user_id)


def get_clinic_for_admin(user: AnyUser, clinic_id: int) -> Clinic:
    if clinic_id not in admin_clinic_ids(user):
        raise Http404("No such clinic.")
    return Clinic.objects.get(pk=clinic_id)


def get_clinic_for_clinician(user: AnyUser, clinic_id: int) -> Clinic:
    if clinic_id not in clinician_clinic_ids(user):
        raise Http404("No such clinic.")
    return Clinic.objects.get(pk=clinic_id)


# --- A patient's whole record ---------------------------------------------------------------
# A patient downloads and erases their own record (anyone else: 404, as for a missing page).
# One patient's whole record leaves the clinic only through a clinician of the patient's clinic
# (get_patient_for_clinician): a clinic admin who is not a clinician sees no clinical data.


def may_take_own_record(user: AnyUser) -> bool:
    return is_patient(user)


def get_clinic_for_bulk_export(user: AnyUser, clinic_id: int) -> Clinic:
    """The clinic whose whole data ``user`` may export (ask, list, download, delete), else 404.

    Its admins: the export is how the clinic takes its data elsewhere, which is the admin's
    job even when they are not a clinician. This is the one place where an admin who is not a
    clinician reaches clinical data, in bulk and audited; its clinicians who are not admins
    may not (issue 15)."""
    return get_clinic_for_admin(user, clinic_id)
