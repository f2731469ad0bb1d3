import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backstretch.accounts.models import PatientProfile
from backstretch.routines.models import Routine
from backstretch.safety.models import RedFlagScreen
from backstretch.safety.redflags import QUESTION_KEYS, QUESTIONS

SCREEN = reverse("safety:screen")
TODAY = reverse("practice:today")
CONFIRM = reverse("safety:confirm_cleared")


def seen(who, day):
    return {"seen_by": who, "seen_on": day.isoformat(), "cleared": "on"}


def answers(*yes):
    return {key: "yes" if key in yes else "no" for key in QUESTION_KEYS}


@pytest.fixture
def newcomer(library, django_user_model, client):
    """Dana: just signed up, no screen and no routine yet."""
    user = django_user_model.objects.create_user("dana@example.org", "dana-password-1")
    PatientProfile.objects.create(user=user)
    client.force_login(user)
    return user


def test_the_screen_asks_all_questions_with_nothing_chosen(client, newcomer):
    page = client.get(SCREEN).content.decode()
    for question in QUESTIONS:
        assert f'name="{question.key}" value="yes"' in page
        assert f'name="{question.key}" value="no"' in page
    assert "checked" not in page
    assert "does not replace" in page and "cannot diagnose" in page


def test_every_question_must_be_answered_and_missing_ones_are_named(client, newcomer):
    data = answers()
    del data["bladder"], data["night_pain"]
    response = client.post(SCREEN, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Questions 2, 12 still need an answer." in page
    assert page.count("Please answer yes or no.") == 2
    assert not RedFlagScreen.objects.exists()


def test_a_saddle_numbness_yes_shows_emergency_guidance_and_keeps_today_locked(client, newcomer):
    response = client.post(SCREEN, answers("saddle_numbness"))
    assert response.url == reverse("safety:outcome")
    page = client.get(response.url).content.decode()
    assert "Get emergency care now" in page
    assert "emergency department" in page
    assert client.get(TODAY).url == SCREEN
    assert client.get(SCREEN).url == reverse("safety:outcome")
    assert not Routine.objects.filter(patient=newcomer).exists()


def test_a_prompt_answer_asks_to_see_a_clinician_until_cleared(client, newcomer, caplog):
    client.post(SCREEN, answers("cancer"))
    page = client.get(reverse("safety:outcome")).content.decode()
    assert "See a clinician before you start" in page
    assert "Have you ever had cancer?" in page
    assert 'href="tel:112"' in page
    assert client.get(TODAY).url == SCREEN
    # No tick under the guidance any more, and no way round it on the same day.
    assert "Unlock my routine" not in page
    assert "a day after your answers" in page
    assert client.get(CONFIRM).url == reverse("safety:outcome")
    assert client.post(CONFIRM, seen("Dr Okafor", newcomer.today())).url == reverse(
        "safety:outcome"
    )
    assert RedFlagScreen.objects.get(user=newcomer).cleared_at is None

    screen = RedFlagScreen.objects.get(user=newcomer)
    RedFlagScreen.objects.filter(pk=screen.pk).update(
        answered_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert "I have been seen" in client.get(reverse("safety:outcome")).content.decode()
    assert "Who saw you?" in client.get(CONFIRM).content.decode()

    empty = client.post(CONFIRM, {})
    assert empty.status_code == 400
    body = empty.content.decode()
    assert "Write who saw you: a name or the place." in body
    assert "Give the day you were seen." in body
    assert "Tick the box only once a clinician has said you can start exercising." in body
    tomorrow = newcomer.today() + timedelta(days=1)
    future = client.post(CONFIRM, seen("Dr Okafor", tomorrow))
    assert "That day is still to come" in future.content.decode()
    before = client.post(CONFIRM, seen("Dr Okafor", newcomer.today() - timedelta(days=3)))
    assert "That is before your answers" in before.content.decode()
    assert client.get(TODAY).url == SCREEN

    with caplog.at_level(logging.INFO, logger="backstretch.safety.views"):
        cleared = client.post(CONFIRM, seen("Dr Okafor at the Park Surgery", newcomer.today()))
    assert cleared.url == TODAY
    screen.refresh_from_db()
    assert screen.cleared_at is not None and screen.cleared_by is None
    assert (screen.seen_by, screen.seen_on) == ("Dr Okafor at the Park Surgery", newcomer.today())
    assert "confirmed cleared by the patient" in caplog.text
    assert client.get(TODAY).status_code == 200
    assert Routine.objects.get(patient=newcomer, is_active=True).template_slug == "starter-floor"


def test_an_emergency_answer_offers_tap_to_call_numbers(client, newcomer):
    client.post(SCREEN, answers("both_legs"))
    page = client.get(reverse("safety:outcome")).content.decode()
    assert "Get emergency care now" in page
    for number in ("112", "999", "911"):
        assert f'href="tel:{number}"' in page
    assert "Pain, numbness, tingling or weakness going down both of your legs?" in page


def test_a_clinic_patient_waits_for_their_clinic_to_clear_the_lock(client, patient, bob):
    client.force_login(patient)
    client.post(SCREEN, answers("saddle_numbness"))
    page = client.get(reverse("safety:outcome")).content.decode()
    assert "until one of its clinicians has checked you and unlocks it" in page
    RedFlagScreen.objects.filter(user=patient).update(
        answered_at=timezone.now() - timedelta(days=2)
    )
    assert client.get(CONFIRM).url == reverse("safety:outcome")
    assert client.post(CONFIRM, seen("Dr Okafor", patient.today())).url == reverse("safety:outcome")
    assert RedFlagScreen.objects.get(user=patient).cleared_at is None


def test_a_clinic_patients_own_emergency_answer_locks_the_routine_too(client, patient, bob):
    # Screened in person by the clinic, Alice opens the questions herself and answers yes to
    # an emergency sign: the routine stays locked (page and API) until her clinic clears it.
    client.force_login(patient)
    assert client.get(TODAY).status_code == 200
    client.post(SCREEN, answers("saddle_numbness"))
    assert client.get(TODAY).url == reverse("safety:outcome")
    assert client.get(reverse("practice:play")).url == reverse("safety:outcome")
    RedFlagScreen.objects.get(user=patient).clear(by=bob)
    assert client.get(TODAY).status_code == 200


def test_a_clear_screen_stores_the_answers_with_their_time_and_opens_today(client, newcomer):
    before = timezone.now()
    response = client.post(SCREEN, answers())
    assert response.url == TODAY
    screen = RedFlagScreen.objects.get(user=newcomer)
    assert screen.urgency == "clear"
    assert screen.answers == dict.fromkeys(QUESTION_KEYS, False)
    assert screen.answered_at >= before
    assert screen.context == RedFlagScreen.Context.ONBOARDING
    assert client.get(TODAY).status_code == 200


@pytest.mark.parametrize(
    ("position", "template"),
    [("floor", "starter-floor"), ("bed", "starter-bed"), ("chair", "starter-chair")],
)
def test_a_clear_screen_starts_the_routine_for_the_preferred_position(
    client, newcomer, position, template
):
    PatientProfile.objects.filter(user=newcomer).update(preferred_position=position)
    client.post(SCREEN, answers())
    routine = Routine.objects.get(patient=newcomer, is_active=True)
    assert routine.template_slug == template
    where = {item["position"] for item in routine.current.items}
    # Stretches where the patient said, and a walk on their feet at the end.
    assert where == {position, "standing"}


def test_a_clear_screen_keeps_an_existing_routine(client, patient):
    client.force_login(patient)
    routine = Routine.objects.get(patient=patient, is_active=True)
    client.post(SCREEN, answers())
    assert Routine.objects.get(patient=patient, is_active=True) == routine


def test_the_screen_needs_a_login(client, db):
    assert client.get(SCREEN).url.startswith(reverse("login"))


def test_the_help_page_is_public_and_linked_from_every_page(client, db):
    page = client.get(reverse("safety:help")).content.decode()
    assert "Get emergency care the same day" in page
    assert "Contact your clinician" in page
    assert "spreads further down the leg" in page
    assert "mild soreness" in page.lower()
    library = client.get(reverse("library:list")).content.decode()
    assert f'href="{reverse("safety:help")}"' in library
