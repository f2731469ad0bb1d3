"""A long history on the clinician's patient page comes a page at a time, newest first, so a
patient who sends a great deal cannot make the page slow to load or to read."""

import pytest
from django.urls import reverse

from backstretch.clinic.views_dashboard import HISTORY_PAGE_SIZE
from tests.sessions import hurt_report, practise

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(patient):
    """Alice with a session on each of the last 25 days, each with a "this hurts"."""
    for days_ago in range(25, 0, -1):
        practise(
            patient,
            days_ago=days_ago,
            pain_before=days_ago % 10,
            hurt_reports=[hurt_report("rotation-stretch", "little", step_index=2)],
        )
    return patient


def test_the_newest_come_first_and_older_ones_are_a_link_away(client, bob, busy):
    client.force_login(bob)
    url = reverse("clinic:patient", args=[busy.pk])
    first = client.get(url)
    context = first.context
    assert len(context["sessions"]) == HISTORY_PAGE_SIZE == 20
    assert len(context["hurts"]) == HISTORY_PAGE_SIZE
    dates = [line.session.local_date for line in context["sessions"]]
    assert dates == sorted(dates, reverse=True)
    body = first.content.decode()
    assert "20 of 25 shown" in body
    assert "Older sessions" in body and "Older reports" in body and "Newer" not in body
    # The calendar still shows every session of the 12 weeks.
    practised = [c for _week, cells in context["calendar"] for c in cells if c.day.sessions]
    assert len(practised) == 25

    older = client.get(url, {"sessions": "2", "hurts": "2"})
    assert [line.session.local_date for line in older.context["sessions"]] == sorted(
        {busy.today().fromordinal(busy.today().toordinal() - n) for n in range(21, 26)},
        reverse=True,
    )
    assert len(older.context["hurts"]) == 5
    assert "Newer sessions" in older.content.decode()


@pytest.mark.parametrize("page", ["0", "99", "soon"])
def test_a_page_that_does_not_exist_shows_the_nearest_one(client, bob, busy, page):
    client.force_login(bob)
    response = client.get(reverse("clinic:patient", args=[busy.pk]), {"sessions": page})
    assert response.status_code == 200 and len(response.context["sessions"]) in (5, 20)
