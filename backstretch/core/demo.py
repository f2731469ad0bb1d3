"""Demo data for trying Backstretch: the one entry point (``run_demo``); idempotent.

The people, their clinics, routines and practice history are made here; then each app that
adds demo data of its own plugs in with a ``demo.load_demo(logins)`` (``DEMO_APPS``, run in
order, lower layers first).

Two clinics, each with a clinic admin, a clinician and three patients. Each demo patient
gets a profile linked to the clinic and clinician, a clear red-flag screen answered six weeks
ago, an active routine from a template and six weeks of practice history ending yesterday (in
their own time zone). The history comes from the pure generator in ``practice.demo_history`` and is
stored through ``record_session`` with a ``SessionIn``, exactly like a real session. Client
ids are uuid5 of e-mail, date and slot, so running the demo again stores nothing twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext

from backstretch.accounts.demo import (
    HISTORY_DAYS,
    DemoLogin,
    demo_password,
    demo_secret,
    give_demo_device,
    history_window,
)
from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Clinic, Membership
from backstretch.library.services import sync_library
from backstretch.practice.demo_history import EVENING, MORNING, DemoSession, Habits
from backstretch.practice.demo_history import generate_history as generate_demo_history
from backstretch.practice.models import PracticeSession
from backstretch.practice.schemas import HurtReportIn, SessionIn, StepResultIn
from backstretch.practice.services import record_session
from backstretch.routines.models import Routine, RoutineVersion
from backstretch.routines.services import active_routine, start_routine_from_template
from backstretch.routines.timeline import StepKind, Timeline, compile_timeline
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS, Urgency

# Demo session ids live in their own uuid5 namespace (a fixed, made-up one).
DEMO_NAMESPACE = uuid.UUID("5b1f3c2e-7d4a-4f0e-9a61-2c8d0e4b7a13")


@dataclass(frozen=True)
class DemoPatient:
    email: str
    name: str
    time_zone: str
    position: str  # PatientProfile.preferred_position
    template: str  # routine template slug
    daily_time: time
    weekly_target: int
    habits: Habits


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str


@dataclass(frozen=True)
class DemoClinic:
    name: str
    admin: DemoStaff  # a clinic admin who is not a clinician
    clinician: DemoStaff
    patients: tuple[DemoPatient, ...]


RIVERSIDE_PATIENTS = (
    # Practises about six days a week in the morning, skipped one weekend; pain falls.
    DemoPatient(
        email="maria@demo.backstretch.test",
        name="Maria Lopez",
        time_zone="Europe/Madrid",
        position=PatientProfile.Position.FLOOR,
        template="daily-four",
        daily_time=time(7, 30),
        weekly_target=6,
        habits=Habits(
            practice_chance=0.84,
            usual_slot=MORNING,
            pain_start=6.0,
            pain_end=2.2,
            relief=1.2,
            second_session_chance=0.08,
            missed_weekend=2,
            little_hurt_chance=0.04,
        ),
    ),
    # Four or five evenings a week; pain creeps up, one sharp "a lot" stops a session.
    DemoPatient(
        email="tom@demo.backstretch.test",
        name="Tom Becker",
        time_zone="America/New_York",
        position=PatientProfile.Position.FLOOR,
        template="daily-four",
        daily_time=time(20, 0),
        weekly_target=5,
        habits=Habits(
            practice_chance=0.66,
            usual_slot=EVENING,
            pain_start=3.8,
            pain_end=6.4,
            relief=-0.2,
            little_hurt_chance=0.1,
            bad_hurt_day=33,
        ),
    ),
    # Stretches in bed before getting up; pain falls, then practice tails off last week.
    DemoPatient(
        email="june@demo.backstretch.test",
        name="June Okafor",
        time_zone="Europe/London",
        position=PatientProfile.Position.BED,
        template="daily-four-bed",
        daily_time=time(7, 0),
        weekly_target=5,
        habits=Habits(
            practice_chance=0.8,
            usual_slot=MORNING,
            pain_start=7.0,
            pain_end=3.2,
            relief=1.0,
            tail_off_days=7,
            little_hurt_chance=0.05,
        ),
    ),
)

HILLVIEW_PATIENTS = (
    # Steady evenings after work; pain falls.
    DemoPatient(
        email="priya@demo.backstretch.test",
        name="Priya Shah",
        time_zone="Europe/Dublin",
        position=PatientProfile.Position.FLOOR,
        template="daily-four",
        daily_time=time(18, 30),
        weekly_target=5,
        habits=Habits(
            practice_chance=0.8,
            usual_slot=EVENING,
            pain_start=5.5,
            pain_end=2.4,
            relief=1.0,
            little_hurt_chance=0.03,
        ),
    ),
    # Does everything from bed; pain falls, then the sessions stop five days ago.
    DemoPatient(
        email="daniel@demo.backstretch.test",
        name="Daniel Kim",
        time_zone="America/Chicago",
        position=PatientProfile.Position.BED,
        template="daily-four-bed",
        daily_time=time(6, 45),
        weekly_target=5,
        habits=Habits(
            practice_chance=0.82,
            usual_slot=MORNING,
            pain_start=6.5,
            pain_end=3.8,
            relief=0.9,
            stopped_days=4,
        ),
    ),
    # Pain creeps up; a few little hurts and one "a lot" five days ago that stopped a session.
    DemoPatient(
        email="lena@demo.backstretch.test",
        name="Lena Fischer",
        time_zone="Europe/Berlin",
        position=PatientProfile.Position.FLOOR,
        template="daily-four",
        daily_time=time(19, 30),
        weekly_target=5,
        habits=Habits(
            practice_chance=0.72,
            usual_slot=EVENING,
            pain_start=3.5,
            pain_end=6.2,
            relief=-0.3,
            little_hurt_chance=0.06,
            bad_hurt_day=HISTORY_DAYS - 5,
        ),
    ),
)

DEMO_CLINICS = (
    DemoClinic(
        name="Riverside Back Clinic",
        admin=DemoStaff("rachel@demo.backstretch.test", "Rachel Adams"),
        clinician=DemoStaff("omar@demo.backstretch.test", "Omar Haddad"),
        patients=RIVERSIDE_PATIENTS,
    ),
    DemoClinic(
        name="Hillview Physio",
        admin=DemoStaff("henry@demo.backstretch.test", "Henry Lee"),
        clinician=DemoStaff("grace@demo.backstretch.test", "Grace Nwosu"),
        patients=HILLVIEW_PATIENTS,
    ),
)
DEMO_PATIENTS = RIVERSIDE_PATIENTS + HILLVIEW_PATIENTS


def run_demo() -> list[DemoLogin]:
    """Create (or refresh) every demo account and all demo data; returns the logins."""
    logins = load_demo()
    for app in DEMO_APPS:
        import_module(f"backstretch.{app}.demo").load_demo(logins)
    return logins


def demo_emails() -> list[str]:
    people = [person.email for person in DEMO_PATIENTS]
    for spec in DEMO_CLINICS:
        people += [spec.admin.email, spec.clinician.email]
    return people


@dataclass(frozen=True)
class Removed:
    accounts: int
    clinics: int


@transaction.atomic
def remove_demo() -> Removed:
    """Delete the demo accounts with everything that is theirs, and the demo clinics once
    nobody else belongs to them (a real clinic that happens to share a name stays)."""
    users = User.objects.filter(email__in=demo_emails())
    # A session keeps its routine version (PROTECT): the sessions go first.
    PracticeSession.objects.filter(patient__in=users).delete()
    accounts = users.count()
    users.delete()
    clinics = 0
    for spec in DEMO_CLINICS:
        for clinic in Clinic.objects.filter(name=spec.name):
            in_use = (
                clinic.memberships.exists() or PatientProfile.objects.filter(clinic=clinic).exists()
            )
            if not in_use:
                clinic.delete()
                clinics += 1
    return Removed(accounts, clinics)


# Apps that add demo data once the people exist, lower layers first.
DEMO_APPS = ("reminders", "outcomes", "messaging")


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create (or refresh) the demo accounts and data; running it twice adds nothing more."""
    password = demo_password()
    passwords = _DemoPassword(password)
    sync_library()
    logins = []
    for spec in DEMO_CLINICS:
        clinic = Clinic.objects.filter(name=spec.name).order_by("pk").first()
        if clinic is None:
            clinic = Clinic.objects.create(name=spec.name)
        for staff, role in ((spec.admin, "clinic_admin"), (spec.clinician, "clinician")):
            member = _account(staff.email, staff.name, "UTC", passwords)
            _member(member, clinic, role)
            give_demo_device(member)
            logins.append(
                DemoLogin(staff.email, password, staff.name, role, clinic.name, demo_secret())
            )
        clinician = User.objects.get(email=spec.clinician.email)
        for person in spec.patients:
            user = _account(person.email, person.name, person.time_zone, passwords)
            first_day, _ = history_window(person.time_zone)
            start = datetime.combine(first_day, time(9), tzinfo=ZoneInfo(person.time_zone))
            _profile(user, person, clinic, clinician)
            _screen(user, answered_at=start - timedelta(days=1))
            # Prescribed at the appointment the day before the first session: the earliest
            # session (some start before 9) follows a version that already existed.
            version = _routine(user, person.template, created_at=start - timedelta(days=1))
            write_history(user, person, version, first_day)
            logins.append(DemoLogin(person.email, password, person.name, "patient", clinic.name))
    return logins


def _member(user: User, clinic: Clinic, role: str) -> None:
    Membership.objects.update_or_create(
        clinic=clinic,
        user=user,
        defaults={"is_clinician": role == "clinician", "is_admin": role == "clinic_admin"},
    )


class _DemoPassword:
    """The demo password, hashed once for every demo account: the production hasher takes
    ~0.15 s a go, and hashing it twice per account made `make run`'s demo three seconds slower.
    An account already holding a hash of it keeps that hash (its open sessions stay valid)."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.encoded: str | None = None
        self.known: set[str] = set()  # stored hashes already found to match

    def give(self, user: User) -> None:
        if user.password in self.known:
            return
        if user.has_usable_password() and check_password(self.password, user.password):
            self.known.add(user.password)
            return
        if self.encoded is None:
            self.encoded = make_password(self.password)
            self.known.add(self.encoded)
        user.password = self.encoded


def _account(email: str, name: str, time_zone: str, password: _DemoPassword) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"name": name})
    user.name = name
    user.time_zone = time_zone
    user.email_verified = True  # demo addresses receive nothing, but they count as confirmed
    password.give(user)
    user.save()
    return user


def _profile(user: User, person: DemoPatient, clinic: Clinic, clinician: User) -> None:
    PatientProfile.objects.update_or_create(
        user=user,
        defaults={
            "preferred_position": person.position,
            "daily_time": person.daily_time,
            "weekly_target": person.weekly_target,
            "clinic": clinic,
            "clinician": clinician,
            # Their clinician screened them in person (the demo also stores a clear screen).
            "screened_by_clinician": True,
        },
    )


def _screen(user: User, *, answered_at: datetime) -> None:
    if RedFlagScreen.objects.filter(user=user).exists():
        return
    screen = RedFlagScreen.objects.create(
        user=user, answers=dict.fromkeys(QUESTION_KEYS, False), urgency=Urgency.CLEAR
    )
    # answered_at is set on creation; the demo's screen was answered before the history.
    RedFlagScreen.objects.filter(pk=screen.pk).update(answered_at=answered_at)


def _routine(user: User, template: str, *, created_at: datetime) -> RoutineVersion:
    routine = active_routine(user)
    if routine is None or routine.template_slug != template:
        routine = start_routine_from_template(user, template, reason="Demo routine")
        Routine.objects.filter(pk=routine.pk).update(created_at=created_at)
        RoutineVersion.objects.filter(routine=routine).update(created_at=created_at)
    # The history is played on the first version (progression may have saved more since).
    first = routine.versions.order_by("number").first()
    assert first is not None
    return first


def hold_ends(timeline: Timeline) -> list[int]:
    """Seconds from the start at which each hold of the timeline ends, in order."""
    ends, elapsed = [], 0
    for step in timeline.steps:
        elapsed += step.seconds
        if step.kind == StepKind.HOLD:
            ends.append(elapsed)
    return ends


def demo_sessions(person: DemoPatient, version: RoutineVersion, first_day: date) -> list[SessionIn]:
    """The demo patient's history as SessionIn records, validated like any player's post."""
    timeline = compile_timeline(version.routine_items(), translate=gettext)
    history = generate_demo_history(
        person.habits,
        first_day=first_day,
        days=HISTORY_DAYS,
        timeline_seconds=timeline.total_seconds,
        hold_ends=hold_ends(timeline),
        seed=person.email,
    )
    zone = ZoneInfo(person.time_zone)
    return [session_in(person.email, version.pk, timeline, item, zone) for item in history]


def session_in(
    email: str, version_id: int, timeline: Timeline, item: DemoSession, zone: ZoneInfo
) -> SessionIn:
    started = datetime.combine(item.local_date, item.start, tzinfo=zone)
    hold_indexes = [i for i, step in enumerate(timeline.steps) if step.kind == StepKind.HOLD]
    hurt_index = hold_indexes[item.hurt.hold_number] if item.hurt else None
    played = len(timeline.steps) if item.completed else (hurt_index or 0) + 1
    steps = []
    elapsed = 0
    reported_at = started
    for index, step in enumerate(timeline.steps[:played]):
        elapsed += step.seconds
        hurt = index == hurt_index and item.hurt is not None
        if hurt:
            reported_at = started + timedelta(seconds=min(elapsed, item.seconds))
        steps.append(
            StepResultIn(
                index=index,
                result="hurt" if hurt else "done",
                hurt_severity=item.hurt.severity if hurt and item.hurt else None,  # type: ignore[arg-type]
                kind=step.kind.value,
                exercise=step.exercise,
                position=step.position,  # type: ignore[arg-type]
                side=step.side,  # type: ignore[arg-type]
                rep=step.rep,
            )
        )
    reports = []
    if item.hurt is not None and hurt_index is not None:
        step = timeline.steps[hurt_index]
        reports.append(
            HurtReportIn(
                step_index=hurt_index,
                exercise=step.exercise or "",
                position=step.position,  # type: ignore[arg-type]
                side=step.side,  # type: ignore[arg-type]
                severity=item.hurt.severity,  # type: ignore[arg-type]
                action=item.hurt.action,  # type: ignore[arg-type]
                reported_at=reported_at,
            )
        )
    return SessionIn(
        client_id=uuid.uuid5(DEMO_NAMESPACE, f"{email}|{item.local_date.isoformat()}|{item.slot}"),
        routine_version=version_id,
        started_at=started,
        ended_at=started + timedelta(seconds=item.seconds),
        pain_before=item.pain_before,
        pain_after=item.pain_after,
        completed=item.completed,
        steps=steps,
        hurt_reports=reports,
    )


def write_history(user: User, person: DemoPatient, version: RoutineVersion, first_day: date) -> int:
    """Store the demo history once; sessions from before the window (an older run) go."""
    PracticeSession.objects.filter(patient=user, local_date__lt=first_day).delete()
    created = 0
    for data in demo_sessions(person, version, first_day):
        _, is_new = record_session(user, data, source=PracticeSession.Source.WEB)
        created += is_new
    return created
