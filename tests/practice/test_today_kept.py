"""Today's body is kept between visits (practice/today.py): each patient sees only their own
page, and it changes the moment something it shows changes."""

import json

import pytest
from django.test import Client

from backstretch.accounts.models import User
from tests.cast import cleared, make_patient
from tests.sessions import practise, session_body

pytestmark = pytest.mark.django_db

TODAY = "/today/"


def logged_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302
    return client


@pytest.fixture
def june(library) -> User:
    """June: in bed on the bed routine, who practised yesterday and the day before."""
    june = cleared(make_patient("june@example.org", "june-password-1", template="daily-four-bed"))
    for days_ago in (1, 2):
        practise(june, days_ago=days_ago)
    return june


def test_two_patients_each_see_only_their_own_today(frozen_now, patient, june):
    alice = logged_in(cleared(patient).email, "alice-password-1")
    practise(patient)
    june_client = logged_in(june.email, "june-password-1")
    for _ in range(2):  # the second round comes from the kept bodies
        for client, mine, theirs in (
            (alice, "Daily four", "Daily four, from bed"),
            (june_client, "Daily four, from bed", None),
        ):
            page = client.get(TODAY).content.decode()
            assert f'<h1 class="today__title">{mine}</h1>' in page
            if theirs:
                assert theirs not in page
        alice_page = alice.get(TODAY).content.decode()
        june_page = june_client.get(TODAY).content.decode()
        assert "Done for today" in alice_page and "Done for today" not in june_page
        assert "Not done yet today" in june_page and "Not done yet today" not in alice_page
        assert "2 of 5 days this week" in june_page and "1 of 5 days" in alice_page
        # The offline outbox in the page head belongs to the reader (the head is kept for
        # every reader alike, with their id put in on each page).
        assert f'data-owner="{patient.pk}"' in alice_page
        assert f'data-owner="{june.pk}"' in june_page


def test_today_changes_the_moment_a_session_is_saved(frozen_now, patient, june):
    alice = logged_in(cleared(patient).email, "alice-password-1")
    june_client = logged_in(june.email, "june-password-1")
    assert "Not done yet today" in alice.get(TODAY).content.decode()
    assert "Not done yet today" in june_client.get(TODAY).content.decode()
    posted = alice.post(
        "/api/v1/me/sessions", json.dumps(session_body(patient)), content_type="application/json"
    )
    assert posted.status_code in (200, 201)
    after = alice.get(TODAY).content.decode()
    assert "Done for today" in after and "Not done yet today" not in after
    assert "Just finished" in after  # the after-session tip
    assert "Not done yet today" in june_client.get(TODAY).content.decode()


def test_the_weekly_check_in_goes_the_moment_it_is_saved_with_each_pages_own_token(patient):
    alice = logged_in(cleared(patient).email, "alice-password-1")
    first = alice.get(TODAY).content.decode()
    assert 'id="weekly-checkin"' in first
    tokens = [part.split('"')[0] for part in first.split('name="csrfmiddlewaretoken" value="')[1:]]
    assert len(tokens) >= 2 and all(len(token) == 64 for token in tokens)
    second = alice.get(TODAY).content.decode()
    assert 'id="weekly-checkin"' in second and "placeholder" not in second.lower()
    saved = alice.post("/checkins/weekly/", {"pain": "4", "enjoyment": "5", "activity": "6"})
    assert saved.status_code == 302
    after = alice.get(TODAY).content.decode()
    assert 'id="weekly-checkin"' not in after
    assert "Weekly check-in saved (score 5.0 of 10)" in after


def test_with_a_shared_cache_today_asks_it_only_for_the_body(patient, redis_cache):
    """Several servers share the default cache (Redis): the menu and the page head, the same
    for every reader of a kind, stay in each process's memory, so a page costs one round trip
    to the shared cache, not three."""
    alice = logged_in(cleared(patient).email, "alice-password-1")
    for _ in range(2):
        page = alice.get(TODAY).content.decode()
        assert '<h1 class="today__title">Daily four</h1>' in page
        assert 'href="/accounts/logout/"' in page or 'action="/accounts/logout/"' in page
        assert f'data-owner="{patient.pk}"' in page
    assert redis_cache.keys("*today:body:*")
    assert not redis_cache.keys("*nav:*") and not redis_cache.keys("*pwa-head:*")
