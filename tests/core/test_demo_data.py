"""What `backstretch demo` made: people, clinics and six weeks of history, read by every test
here from one demo built for the module."""

from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from backstretch import access
from backstretch.accounts.demo import history_window
from backstretch.accounts.models import User
from backstretch.clinic.dashboard import dashboard_rows
from backstretch.core.demo import DEMO_CLINICS, DEMO_PATIENTS, demo_sessions
from backstretch.practice.models import HurtReport, PracticeSession
from backstretch.practice.schemas import SessionIn
from backstretch.routines.models import Routine
from backstretch.routines.services import active_routine
from backstretch.routines.timeline import compile_timeline
from backstretch.safety.models import RedFlagScreen

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and rolled back after its last test. Each test runs
    in its own transaction inside this one, so whatever a test writes is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_each_clinician_sees_exactly_their_three_patients(demo):
    for spec in DEMO_CLINICS:
        clinician = User.objects.get(email=spec.clinician.email)
        seen = {p.user.email for p in access.patients_for_clinician(clinician)}
        assert seen == {p.email for p in spec.patients}
        admin = User.objects.get(email=spec.admin.email)
        assert not access.patients_for_clinician(admin).exists()
        for person in spec.patients:
            profile = User.objects.get(email=person.email).patient
            assert profile.clinician == clinician and profile.screened_by_clinician


def test_daniel_stopped_five_days_ago(demo):
    person = demo_patient("daniel@demo.backstretch.test")
    _, last_day = history_window(person.time_zone)
    dates = PracticeSession.objects.filter(patient__email=person.email).values_list(
        "local_date", flat=True
    )
    assert max(dates) == last_day - timedelta(days=4)


@pytest.mark.parametrize(
    ("clinician", "on_top", "calm"),
    [
        ("omar@demo.backstretch.test", {"Tom Becker", "June Okafor"}, "Maria Lopez"),
        ("grace@demo.backstretch.test", {"Lena Fischer", "Daniel Kim"}, "Priya Shah"),
    ],
)
def test_the_dashboard_puts_rising_pain_or_stopping_on_top(demo, clinician, on_top, calm):
    user = User.objects.get(email=clinician)
    needs, on_track = dashboard_rows(list(access.patients_for_clinician(user)))
    rows = needs + on_track
    names = [str(row.profile.user) for row in rows]
    assert set(names[:2]) == on_top
    assert all(row.reasons for row in rows[:2])
    assert names[2] == calm and not rows[2].reasons


# --- the demo patients' setting-up and six weeks of history ----------------------------


def demo_patient(email):
    return next(p for p in DEMO_PATIENTS if p.email == email)


def weekly_pain(email, week):
    first_day, _ = history_window(demo_patient(email).time_zone)
    start = first_day + timedelta(days=7 * week)
    values = PracticeSession.objects.filter(
        patient__email=email,
        local_date__gte=start,
        local_date__lt=start + timedelta(days=7),
        pain_before__isnull=False,
    ).values_list("pain_before", flat=True)
    assert values, f"{email} has no pain scores in week {week}"
    return sum(values) / len(values)


def test_demo_history_is_stored_once_however_often_the_demo_runs(demo):
    counts = (PracticeSession.objects.count(), HurtReport.objects.count())
    screens, routines = RedFlagScreen.objects.count(), Routine.objects.count()
    call_command("demo", stdout=StringIO())
    assert (PracticeSession.objects.count(), HurtReport.objects.count()) == counts
    assert (RedFlagScreen.objects.count(), Routine.objects.count()) == (screens, routines)
    assert counts[0] > 60


def test_every_demo_patient_is_set_up_and_screened_six_weeks_ago(demo):
    for person in DEMO_PATIENTS:
        user = User.objects.get(email=person.email)
        assert user.patient.preferred_position == person.position
        # Lena's 6 -> 9 session (the demo's third progression) asks her the safety questions
        # again before her next session; everyone else may start at once.
        expected_gate = access.Gate.NEEDS_SCREEN if person.name == "Lena Fischer" else None
        assert access.practice_gate(user) == expected_gate
        screen = RedFlagScreen.objects.get(user=user)
        assert screen.urgency == "clear"
        assert timezone.now() - screen.answered_at > timedelta(days=41)
        assert active_routine(user).template_slug == person.template


def test_history_spans_six_weeks_ending_yesterday_in_the_patients_time_zone(demo):
    for person in DEMO_PATIENTS:
        first_day, last_day = history_window(person.time_zone)
        today = timezone.now().astimezone(ZoneInfo(person.time_zone)).date()
        assert last_day == today - timedelta(days=1)
        dates = PracticeSession.objects.filter(patient__email=person.email).values_list(
            "local_date", flat=True
        )
        assert first_day <= min(dates) <= first_day + timedelta(days=3)
        assert last_day - timedelta(days=6) <= max(dates) <= last_day
        assert len(set(dates)) < 42, "nobody practises every single day"


def test_adherence_differs_from_person_to_person(demo):
    def days_a_week(email, weeks=range(5)):
        first_day, _ = history_window(demo_patient(email).time_zone)
        dates = set(
            PracticeSession.objects.filter(patient__email=email).values_list(
                "local_date", flat=True
            )
        )
        return [sum(1 for d in dates if 0 <= (d - first_day).days - 7 * week < 7) for week in weeks]

    assert 5 <= sum(days_a_week("maria@demo.backstretch.test")) / 5 <= 6.8
    assert 3.5 <= sum(days_a_week("tom@demo.backstretch.test")) / 5 <= 5.2
    june = days_a_week("june@demo.backstretch.test", range(6))
    assert june[-1] <= 2 < min(june[:-1]), "June tails off in the last week"


def test_pain_falls_for_maria_and_june_and_rises_for_tom(demo):
    for email in ("maria@demo.backstretch.test", "june@demo.backstretch.test"):
        assert weekly_pain(email, 5) < weekly_pain(email, 0) - 1.5
    assert (
        weekly_pain("tom@demo.backstretch.test", 5)
        > weekly_pain("tom@demo.backstretch.test", 0) + 1
    )


def test_after_is_usually_no_worse_than_before_for_those_it_helps(demo):
    for email in ("maria@demo.backstretch.test", "june@demo.backstretch.test"):
        pairs = PracticeSession.objects.filter(
            patient__email=email, pain_after__isnull=False
        ).values_list("pain_before", "pain_after")
        assert sum(after <= before for before, after in pairs) >= 0.9 * len(pairs)


def test_a_few_hurt_reports_mostly_little_and_one_a_lot_per_clinic(demo):
    severities = list(HurtReport.objects.values_list("severity", flat=True))
    assert 2 <= len(severities) <= 20
    assert severities.count("lot") == 2
    assert severities.count("little") == len(severities) - 2
    bad = HurtReport.objects.filter(severity="lot")
    assert {r.patient.email for r in bad} == {
        "tom@demo.backstretch.test",
        "lena@demo.backstretch.test",
    }
    assert not any(r.session.completed for r in bad)
    for report in HurtReport.objects.all():
        step = report.session.steps[-1] if report.action == "stop" else None
        hurt_steps = [s for s in report.session.steps if s["result"] == "hurt"]
        assert [s["index"] for s in hurt_steps] == [report.step_index]
        assert hurt_steps[0]["hurt_severity"] == report.severity
        assert step is None or step["index"] == report.step_index


def test_sessions_last_about_as_long_as_the_compiled_routine(demo):
    for person in DEMO_PATIENTS:
        sessions = PracticeSession.objects.filter(patient__email=person.email, completed=True)
        for session in sessions.select_related("routine_version"):
            # Each session against the version it played (a later version may move an exercise
            # to the bed, where changing sides takes longer).
            total = compile_timeline(session.routine_version.routine_items()).total_seconds
            assert -10 <= session.minutes * 60 - total <= 60
            hour = session.started_at.astimezone(ZoneInfo(person.time_zone)).hour
            assert 6 <= hour <= 9 or 18 <= hour <= 22


@pytest.mark.parametrize("email", ["june@demo.backstretch.test", "daniel@demo.backstretch.test"])
def test_one_patient_per_clinic_does_everything_in_bed(demo, email):
    version = active_routine(User.objects.get(email=email)).current
    assert {item["position"] for item in version.items} == {"bed"}
    assert {item.position for item in version.routine_items()} == {"bed"}


def test_every_demo_session_passes_the_session_schema(demo):
    sessions = PracticeSession.objects.prefetch_related("hurt_reports")
    assert sessions
    for session in sessions:
        SessionIn.model_validate(
            {
                "client_id": session.client_id,
                "routine_version": session.routine_version_id,
                "started_at": session.started_at,
                "ended_at": session.ended_at,
                "pain_before": session.pain_before,
                "pain_after": session.pain_after,
                "completed": session.completed,
                "steps": session.steps,
                "hurt_reports": [
                    {
                        "step_index": r.step_index,
                        "exercise": r.exercise,
                        "position": r.position,
                        "side": r.side or None,
                        "severity": r.severity,
                        "action": r.action,
                        "reported_at": r.reported_at,
                    }
                    for r in session.hurt_reports.all()
                ],
            }
        )
        assert session.source == "web"


def test_demo_sessions_are_built_through_the_session_schema(demo):
    person = demo_patient("tom@demo.backstretch.test")
    version = active_routine(User.objects.get(email=person.email)).current
    first_day, _ = history_window(person.time_zone)
    built = demo_sessions(person, version, first_day)
    assert all(isinstance(item, SessionIn) for item in built)
    stored = set(
        PracticeSession.objects.filter(patient__email=person.email).values_list(
            "client_id", flat=True
        )
    )
    assert {item.client_id for item in built} == stored


def test_lenas_flare_up_note_is_answered_and_marias_question_waits_for_her_clinic(demo):
    from backstretch.messaging.models import Message
    from backstretch.messaging.queries import unread_by_patient
    from backstretch.messaging.services import unread_for_patient

    lena = User.objects.get(email="lena@demo.backstretch.test")
    said = list(Message.objects.filter(thread__patient=lena).values_list("from_patient", "body"))
    flare = said.index((True, "Had to stop, my back really flared up."))
    assert not said[-1][0] and said[-1][1].startswith("Thanks for telling me, Lena.")
    assert flare < len(said) - 1
    assert unread_for_patient(lena) == 1
    maria = User.objects.get(email="maria@demo.backstretch.test")
    unread = {row.patient_id: row.count for row in unread_by_patient([maria.patient.clinic_id])}
    assert unread.get(maria.pk) == 1
    call_command("demo", stdout=StringIO())
    assert Message.objects.filter(thread__patient=lena).count() == len(said)
