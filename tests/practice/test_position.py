"""A patient changes where they practise on their profile page; a self-guided routine follows
it with a new version saying why, a routine a clinician set does not change."""

import re

import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile
from backstretch.routines.models import RoutineVersion
from backstretch.routines.services import active_routine, prescribe

PROFILE = reverse("accounts:profile")
CHANGE = reverse("practice:position")


@pytest.fixture
def alice(patient, client):
    client.force_login(patient)
    return patient


def test_a_self_guided_routine_follows_a_new_place_with_a_version_saying_why(client, alice):
    before = active_routine(alice).current
    response = client.post(CHANGE, {"preferred_position": "chair"}, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE + "#where"
    page = response.content.decode()
    assert "Saved. You chose to do your routine on a chair" in page
    alice.patient.refresh_from_db()
    assert alice.patient.preferred_position == PatientProfile.Position.CHAIR
    routine = active_routine(alice)
    assert (routine.name, routine.template_slug) == ("Starter routine, on a chair", "starter-chair")
    version = routine.current
    assert version.number == before.number + 1
    assert version.reason.startswith("You chose to do your routine on a chair")
    assert version.created_by == alice
    assert {item["position"] for item in version.items} == {"chair", "standing"}
    assert version.days == before.days
    # Her own change needs no "your routine changed" notice on Today.
    assert (
        "You chose to do your routine" not in client.get(reverse("practice:today")).content.decode()
    )
    # Choosing the same place again saves no new version.
    client.post(CHANGE, {"preferred_position": "chair"})
    assert active_routine(alice).current.number == version.number


def test_a_routine_a_clinician_set_stays_as_it_is_and_the_page_says_so(client, alice, bob):
    items = [
        {
            "exercise": "childs-pose",
            "position": "floor",
            "hold_seconds": 10,
            "repetitions": 5,
            "sides": "none",
            "rest_seconds": 5,
        }
    ]
    prescribed = prescribe(alice, "From Bob", items, reason="Clinic visit", created_by=bob)
    page = client.get(PROFILE).content.decode()
    assert "Your clinician set your routine, so changing this does not change it." in page
    page = client.post(CHANGE, {"preferred_position": "bed"}, follow=True).content.decode()
    assert "Your routine was set by your clinician, so it has not changed." in page
    assert active_routine(alice).current == prescribed
    assert RoutineVersion.objects.filter(routine__patient=alice).count() == prescribed.number
    alice.patient.refresh_from_db()
    assert alice.patient.preferred_position == "bed"  # the answer itself is kept


def test_the_profile_shows_the_current_answer_and_a_bad_one_changes_nothing(client, alice):
    page = client.get(PROFILE).content.decode()
    assert "Where you do your routine" in page
    assert re.search(r"<input[^>]*value=\"floor\"[^>]*checked", page)
    assert "Your routine follows your answer" in page
    version = active_routine(alice).current
    page = client.post(CHANGE, {"preferred_position": "sofa"}, follow=True).content.decode()
    assert "Choose where you do your routine: on the floor, in bed or on a chair." in page
    assert active_routine(alice).current == version
    alice.patient.refresh_from_db()
    assert alice.patient.preferred_position == "floor"


def test_staff_have_no_place_to_choose(client, bob):
    client.force_login(bob)
    assert "Where you do your routine" not in client.get(PROFILE).content.decode()
    assert client.post(CHANGE, {"preferred_position": "bed"}).status_code == 404
