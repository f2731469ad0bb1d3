"""Today's routine summary is kept between pages (practice.views.routine_summary): per routine
version and language, so nobody sees another's routine, and a library change shows at once."""

import pytest
from django.test import Client

from backstretch.library.models import Exercise
from backstretch.routines.services import active_routine, save_version
from tests.cast import cleared, make_patient

pytestmark = pytest.mark.django_db

TODAY = "/today/"


def today_of(user):
    client = Client()
    client.force_login(user)
    return client.get(TODAY).content.decode()


def test_two_patients_each_see_their_own_routine_and_notes(patient, bob):
    other = cleared(make_patient("other@example.org", "a-password-123", "Other Person"))
    for person, note in ((patient, "Keep your chin tucked, Alice"), (other, "Slowly, Other")):
        routine = active_routine(person)
        first = {**routine.current.items[0], "note": note}
        save_version(routine, [first, *routine.current.items[1:]], reason="Note", created_by=bob)
    for _ in range(2):  # the second pages come from the kept summaries
        mine, theirs = today_of(patient), today_of(other)
        assert "Keep your chin tucked, Alice" in mine and "Slowly, Other" not in mine
        assert "Slowly, Other" in theirs and "Keep your chin tucked, Alice" not in theirs


def test_a_new_version_and_a_library_change_show_on_the_next_page(patient, bob):
    first_page = today_of(patient)
    routine = active_routine(patient)
    slug = routine.current.items[0]["exercise"]
    exercise = Exercise.objects.get(slug=slug)
    assert exercise.name in first_page
    save_version(routine, routine.current.items[:1], reason="Just one", created_by=bob)
    assert "1 exercise ·" in today_of(patient)
    exercise.name = "Renamed by a library sync"
    exercise.definition = {**exercise.definition, "name": "Renamed by a library sync"}
    exercise.save()  # as `backstretch library sync` saves a changed file (synced_at moves on)
    assert "Renamed by a library sync" in today_of(patient)
