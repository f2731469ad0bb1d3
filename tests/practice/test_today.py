from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cast import cleared
from tests.sessions import practise

TODAY = reverse("practice:today")


@pytest.fixture
def alice(patient, client):
    client.force_login(cleared(patient))
    return patient


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_today_shows_the_routine_its_length_and_one_start_button(client, alice):
    page = client.get(TODAY).content.decode()
    assert "Daily four" in page
    for name in ("Rotation stretch", "Child", "Hamstring stretch", "Hip flexor stretch"):
        assert name in page
    assert "On the floor · 5 s × 10, alternating sides" in page
    assert "10 s × 5, each leg" in page
    assert "about " in page and " minutes" in page
    assert page.count(f'href="{reverse("practice:play")}"') == 1
    assert '<img src="/figures/' in page  # the figure thumbnails
    assert "Not done yet today" in page


def test_today_lists_what_to_have_ready_before_start(client, alice):
    page = client.get(TODAY).content.decode()
    needs = "<strong>Have ready:</strong> a mat and a cushion or a folded towel."
    assert needs in page
    assert page.index(needs) < page.index("Start today’s routine")


def test_about_n_minutes_counts_the_moves_into_each_stretch(client, alice):
    from backstretch.routines.services import active_routine
    from backstretch.routines.timeline import StepKind, compile_timeline

    timeline = compile_timeline(active_routine(alice).current.routine_items())
    moving = sum(s.seconds for s in timeline.steps if s.kind is StepKind.MOVE_IN)
    assert moving > 60  # a minute and more of moving into stretches, which the length includes
    minutes = round(timeline.total_seconds / 60)
    assert minutes != round((timeline.total_seconds - moving) / 60)
    assert f"about {minutes} minutes" in client.get(TODAY).content.decode()


def test_the_start_link_says_what_it_starts_out_of_context(frozen_now, client, alice):
    """A screen reader's list of links shows each link's text alone: "Start" says nothing."""
    play = reverse("practice:play")
    page = client.get(TODAY).content.decode()
    assert f'href="{play}">Start today’s routine</a>' in page
    practise(alice, day=alice.today())  # 09:10 on a day stopped at noon
    page = client.get(TODAY).content.decode()
    assert f'href="{play}">Do today’s routine again</a>' in page


def test_today_says_done_with_the_forgiving_streak(client, alice, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 25, 12, tzinfo=UTC))  # a Wednesday
    for day in (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)):
        practise(alice, day=day)
    for offset in range(5):  # last week met the target of 5
        practise(alice, day=date(2026, 11, 16) + timedelta(days=offset))
    page = client.get(TODAY).content.decode()
    assert "Done for today — well done. You can do it again if you like." in page
    assert "3 of 5 days this week · 1 week in a row" in page


@pytest.mark.parametrize(
    ("zone", "moment", "local_day"),
    [
        # Noon in London is already tomorrow in Auckland...
        ("Pacific/Auckland", datetime(2026, 11, 25, 12, tzinfo=UTC), date(2026, 11, 26)),
        # ...and 3 a.m. UTC is still yesterday evening in Los Angeles.
        ("America/Los_Angeles", datetime(2026, 11, 26, 3, tzinfo=UTC), date(2026, 11, 25)),
    ],
)
def test_done_today_uses_the_patients_own_date(client, alice, monkeypatch, zone, moment, local_day):
    alice.time_zone = zone
    alice.save()
    freeze(monkeypatch, moment)
    utc_day = moment.date()
    practise(alice, day=utc_day)  # done on the UTC date, which is not the patient's today
    page = client.get(TODAY).content.decode()
    assert "Not done yet today" in page
    practise(alice, day=local_day)
    page = client.get(TODAY).content.decode()
    assert "Done for today" in page


def test_bed_patients_see_the_bed_routine(client, alice):
    from backstretch.routines.services import start_routine_from_template

    start_routine_from_template(alice, "daily-four-bed")
    page = client.get(TODAY).content.decode()
    assert "Daily four, from bed" in page
    assert "In bed" in page


def test_today_needs_a_cleared_patient(client, patient):
    assert client.get(TODAY).url.startswith(reverse("login"))
    client.force_login(patient)  # no red-flag screen yet
    assert client.get(TODAY).url == reverse("safety:screen")
