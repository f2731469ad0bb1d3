from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client, TestCase
from django.utils import timezone

from backstretch.accounts.models import PatientProfile, User
from backstretch.accounts.tokens import create_token
from backstretch.clinic.models import DealtWith
from backstretch.clinic.services import audit
from backstretch.clinic.standing import refresh as refresh_standing
from backstretch.messaging.services import send, thread_of
from backstretch.outcomes.models import ProgressionProposal, ProgressionSettings
from backstretch.outcomes.services import answer_start_back, record_peg, request_start_back
from backstretch.push.models import PushSubscription
from backstretch.reminders.schedule import Kind
from backstretch.reminders.services import claim, settings_for
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, save_version
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.rescreen import ask_again
from tests.cast import join, make_patient
from tests.sessions import STEPS, hurt_report, practise

NAME = "Zebedee Quill"
EMAIL = "zebedee.quill@example.org"
PASSWORD = "zebedee-password-1"


@pytest.fixture
def zebedee(northside, bob, admin_user):
    """A patient of Bob's at Northside with a row in every table a patient can have: invited
    by e-mail, screened (and asked again), a routine Bob changed, sessions with per-step results,
    "this hurts", a note, check-ins, STarT Back, messages both ways, reminders, a push
    subscription, an API token, Bob's audit entries and "dealt with", a log-in session, and a
    staff member's edit of their account in Django's admin."""
    user = make_patient(EMAIL, PASSWORD, NAME, time_zone="Europe/London")
    join(northside, bob, user)
    RedFlagScreen.objects.create(
        user=user, answers={"cancer": True}, urgency="prompt", seen_by="Dr Who"
    ).clear(by=bob)
    routine = active_routine(user)
    assert routine is not None
    old = routine.current
    with TestCase.captureOnCommitCallbacks(execute=True):
        save_version(
            routine, [{**old.items[0], "repetitions": 5}], reason="More reps", created_by=bob
        )
    # Bob changed it a week ago: the sessions below follow the new version.
    RoutineVersion.objects.filter(pk=routine.current.pk).update(
        created_at=timezone.now() - timedelta(days=7)
    )
    routine.refresh_from_db()
    ProgressionSettings.objects.create(routine=routine, mode="propose", updated_by=bob)
    first = practise(user, days_ago=3, steps=STEPS, note="Stiff this morning, Zebedee here")
    second = practise(
        user,
        days_ago=1,
        pain_before=3,
        pain_after=7,
        hurt_reports=[hurt_report(old.items[0]["exercise"], "lot", numbness=True)],
    )
    ProgressionProposal.objects.get_or_create(
        routine=routine,
        session=first,
        defaults={
            "based_on": routine.current,
            "direction": "up",
            "cause": "calm",
            "reason": "Calm",
        },
    )
    ask_again(user, "Pain jumped", second)
    record_peg(user, user.today(), pain=6, enjoyment=5, activity=4)
    start_back, _new = request_start_back(user, bob)
    answer_start_back(start_back, [1, 0, 1, 0, 1, 0, 1, 0, 3])
    thread = thread_of(user, northside.pk)
    send(thread, user, "Hello from Zebedee")
    send(thread, bob, f"Hello {NAME}, see you Tuesday")
    settings = settings_for(user)
    settings.channels = ["email", "calendar"]
    settings.save()
    claim(user, Kind.DAILY, user.today())
    PushSubscription.objects.create(
        user=user, endpoint="https://push.example.net/zebedee", p256dh="k" * 20, auth="a" * 16
    )
    create_token(user, "Zebedee's laptop")
    audit(bob, user, northside, "view", "patient page")
    audit(bob, None, northside, "create", f"patient invitation for {EMAIL}")
    DealtWith.objects.create(clinic=northside, patient=user, kind="hurt", note="Rang", by=bob)
    refresh_standing(PatientProfile.objects.filter(user=user))  # where the dashboard puts them
    LogEntry.objects.create(
        user=admin_user,
        content_type_id=ContentType.objects.get_for_model(User).pk,
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message="Changed name.",
    )
    Client().force_login(user)  # a log-in session on another device
    return user
