"""The weekly check-in on the Today page: asked when due, answered or skipped, charted."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from backstretch.outcomes.models import PegCheckin
from backstretch.safety.models import RedFlagScreen

TODAY = reverse("practice:today")
PEG = reverse("outcomes:peg")
QUESTION = "how bad was your pain on average?"


@pytest.fixture
def alice(patient, client):
    RedFlagScreen.objects.create(user=patient, answers={}, urgency="clear")
    client.force_login(patient)
    return patient


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_new_patient_is_asked_the_three_questions_on_today(client, alice):
    page = client.get(TODAY).content.decode()
    assert "Your weekly check-in" in page
    assert QUESTION in page
    assert "get in the way of enjoying life" in page
    assert "get in the way of your everyday activities" in page
    assert "Skip this week" in page


def test_answering_stores_the_scores_with_the_date_and_stops_asking(client, alice):
    response = client.post(PEG, {"pain": "6", "enjoyment": "4", "activity": "3"})
    assert response.status_code == 302 and response["Location"] == TODAY
    checkin = PegCheckin.objects.get(patient=alice)
    assert (checkin.pain, checkin.enjoyment, checkin.activity, checkin.skipped) == (6, 4, 3, False)
    assert checkin.local_date == alice.today()
    assert checkin.score == 4.3
    page = client.get(TODAY).content.decode()
    assert QUESTION not in page
    assert "Weekly check-in saved (score 4.3 of 10)" in page


def test_sending_the_answers_twice_keeps_one_check_in_with_the_last_answers(client, alice):
    client.post(PEG, {"pain": "6", "enjoyment": "4", "activity": "3"})
    client.post(PEG, {"pain": "5", "enjoyment": "4", "activity": "3"})
    assert list(PegCheckin.objects.values_list("pain", flat=True)) == [5]


def test_skipping_is_stored_as_a_skip_and_not_asked_again_that_week(client, alice):
    client.post(PEG, {"skip": "1"})
    checkin = PegCheckin.objects.get(patient=alice)
    assert checkin.skipped and checkin.pain is None
    assert QUESTION not in client.get(TODAY).content.decode()
    client.post(PEG, {"skip": "1"})  # a second skip (e.g. a double tap) adds nothing
    assert PegCheckin.objects.filter(patient=alice).count() == 1


def test_it_is_asked_again_seven_days_later(client, alice, monkeypatch):
    PegCheckin.objects.create(patient=alice, local_date=date(2026, 11, 18), skipped=True)
    freeze(monkeypatch, datetime(2026, 11, 24, 12, tzinfo=UTC))
    assert QUESTION not in client.get(TODAY).content.decode()
    freeze(monkeypatch, datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert QUESTION in client.get(TODAY).content.decode()


def test_a_missing_or_impossible_answer_is_explained_and_nothing_is_saved(client, alice):
    response = client.post(PEG, {"pain": "6", "enjoyment": "12"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer all three questions" in page
    assert page.count("Choose a number from 0 to 10.") == 2
    assert 'value="6" checked' in page  # the answer given is kept
    assert not PegCheckin.objects.exists()


def test_history_charts_the_answered_check_ins(client, alice, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 25, 12, tzinfo=UTC))
    for day, values in ((date(2026, 11, 4), (7, 6, 5)), (date(2026, 11, 18), (4, 3, 2))):
        PegCheckin.objects.create(
            patient=alice, local_date=day, pain=values[0], enjoyment=values[1], activity=values[2]
        )
    PegCheckin.objects.create(patient=alice, local_date=date(2026, 11, 11), skipped=True)
    page = client.get(reverse("practice:history")).content.decode()
    assert "Weekly check-ins" in page
    assert "Weekly check-in score 6.0 on 4 Nov, latest 3.0 on 18 Nov" in page
    assert page.count('r="5.5"') == 2  # two points: the skipped week draws nothing


def test_history_explains_the_empty_chart(client, alice):
    page = client.get(reverse("practice:history")).content.decode()
    assert "once you have answered a check-in" in page


def test_someone_elses_answers_never_reach_alices_chart(client, alice, other_patient):
    PegCheckin.objects.create(
        patient=other_patient, local_date=date.today(), pain=9, enjoyment=9, activity=9
    )
    page = client.get(reverse("practice:history")).content.decode()
    assert "once you have answered a check-in" in page
