"""Each account's writes are limited (core/ratelimit.py): past the limit a 429 that says how
long to wait, with Retry-After; JSON under /api/, a page elsewhere; nothing is saved."""

import pytest
from django.test import Client
from django.urls import reverse

from backstretch.accounts.tokens import create_token
from backstretch.core import ratelimit
from backstretch.core.ratelimit import Limit, count_write
from backstretch.messaging.models import Message
from backstretch.practice.models import PracticeSession
from tests.cast import cleared
from tests.sessions import SESSIONS_URL, session_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings, monkeypatch):
    """Three writes a minute, on a clock stopped mid-minute (a new minute would start again)."""
    settings.BACKSTRETCH_WRITE_LIMITS = ((3, 60), (1000, 86400))
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)


def test_the_counter_refuses_past_the_limit_until_the_window_ends():
    limits = (Limit(2, 60),)
    start = 1_800_000_000.0  # a minute's first second
    assert count_write("user:1", limits, now=start) is None
    assert count_write("user:1", limits, now=start + 10) is None
    assert count_write("user:1", limits, now=start + 15) == 45  # seconds left in the minute
    assert count_write("user:2", limits, now=start + 15) is None  # another account
    assert count_write("user:1", limits, now=start + 60) is None  # a new minute


def test_the_longest_full_window_says_how_long_to_wait():
    limits = (Limit(5, 60), Limit(2, 3600))
    hour = 1_800_000_000.0 - 1_800_000_000.0 % 3600
    for _ in range(2):
        assert count_write("user:1", limits, now=hour) is None
    assert count_write("user:1", limits, now=hour + 100) == 3500


def test_the_default_numbers_are_the_documented_ones():
    assert ratelimit.write_limits() == (Limit(60, 60), Limit(1000, 86400))


def test_api_writes_past_the_limit_get_429_json_with_retry_after(three_a_minute, patient):
    alice = cleared(patient)
    token = create_token(alice)[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    browser = Client()
    browser.force_login(alice)
    # Token and browser session count together: the limit is the account's.
    for client in (api, api, browser):
        response = client.post(SESSIONS_URL, session_body(alice), content_type="application/json")
        assert response.status_code == 201, response.content

    refused = api.post(SESSIONS_URL, session_body(alice), content_type="application/json")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused["Retry-After"] == "30"
    detail = refused.json()["detail"]
    assert "nothing was saved" in detail and "Wait 30 seconds and send it again" in detail
    assert PracticeSession.objects.filter(patient=alice).count() == 3
    assert api.get(SESSIONS_URL).status_code == 200  # reading is never limited


def test_writes_through_several_servers_count_together_on_a_shared_redis(
    three_a_minute, patient, redis_cache
):
    """Servers sharing one Redis (each has its own connection to it) count one account's
    writes together: the fourth write a minute is refused whichever server it reaches."""
    from django.core.cache import caches

    alice = cleared(patient)
    api = Client(headers={"Authorization": f"Bearer {create_token(alice)[1]}"})
    for _ in range(3):
        caches.close_all()  # each write reaches the cache over a new connection
        response = api.post(SESSIONS_URL, session_body(alice), content_type="application/json")
        assert response.status_code == 201, response.content
    refused = api.post(SESSIONS_URL, session_body(alice), content_type="application/json")
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert PracticeSession.objects.filter(patient=alice).count() == 3
    assert redis_cache.keys("*writes:60:*")


def test_form_writes_past_the_limit_get_a_page_that_says_how_long_to_wait(
    three_a_minute, patient, bob, other_patient
):
    client = Client()
    client.force_login(patient)
    url = reverse("messaging:thread")
    for n in range(3):
        assert client.post(url, {"body": f"Message {n}"}).status_code == 302

    refused = client.post(url, {"body": "One too many"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    page = refused.content.decode()
    assert "Too many changes at once" in page and "we did not save the last one" in page
    assert "Wait 30 seconds, then go back" in page
    assert not Message.objects.filter(body="One too many").exists()
    # Another account is not held back, and logging out always works.
    other = Client()
    other.force_login(bob)
    assert (
        other.post(reverse("clinic:messages", args=[patient.pk]), {"body": "Hi"}).status_code == 302
    )
    assert client.post(reverse("logout")).status_code == 302


def test_a_wrong_token_is_not_counted_against_anyone(three_a_minute, patient):
    api = Client(headers={"Authorization": "Bearer bks_not-a-real-token"})
    # Four: past the three writes allowed, short of the five wrong tokens that lock this
    # client address out (django-axes, tests/accounts/test_throttle.py).
    for _ in range(4):
        assert api.post(SESSIONS_URL, {}, content_type="application/json").status_code == 401


def test_redrawing_the_builders_draft_is_not_a_write_but_saving_it_is(three_a_minute, bob, patient):
    client = Client()
    client.force_login(bob)
    url = reverse("clinic:routine", args=[patient.pk])
    for _ in range(10):  # typing in the exercise filter redraws the picker on each pause
        filtered = client.post(url, {"action": "filter", "q": "knee"}, HTTP_HX_REQUEST="true")
        assert filtered.status_code == 200
    for _ in range(3):
        client.post(url, {"action": "save"})  # refused as incomplete, but counted
    assert client.post(url, {"action": "save"}).status_code == 429
