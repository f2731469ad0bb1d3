"""Habit tips: kept as data, checked on load, shown on Today where they help."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backstretch.practice.tips import Moment, TipsError, load_tips, shipped_tips, tip_for
from tests.cast import cleared
from tests.sessions import practise

TODAY = reverse("practice:today")


def test_the_shipped_tips_load_and_cover_every_moment():
    tips = shipped_tips()
    for moment in Moment:
        assert any(moment in tip.moments for tip in tips)


def test_the_tips_the_habit_needs_are_there():
    keys = {tip.key for tip in shipped_tips()}
    # Tie it to a daily habit, same time daily, bed routine before getting up, mat in sight,
    # the short version beats skipping; and after a session, soreness versus pain.
    assert {
        "anchor",
        "same-time",
        "bed-first",
        "mat-in-sight",
        "short-beats-skip",
        "soreness-or-pain",
    } <= keys


def test_a_bad_tips_file_names_the_file_and_field(tmp_path):
    path = tmp_path / "tips.toml"
    path.write_text('slug = "tips"\n[[tips]]\nkey = "x"\nmoments = ["sometimes"]\ntext = "short"\n')
    with pytest.raises(TipsError) as error:
        load_tips(path)
    message = str(error.value)
    assert "tips.toml" in message and "moments" in message and "text" in message


def test_the_tip_stays_the_same_all_day_and_changes_the_next_day():
    day = date(2026, 11, 25)
    assert tip_for(Moment.TODAY, day) == tip_for(Moment.TODAY, day)
    assert tip_for(Moment.TODAY, day) != tip_for(Moment.TODAY, day + timedelta(days=1))


@pytest.fixture
def alice(patient, client):
    client.force_login(cleared(patient))
    return patient


NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_just_after_a_session_today_shows_an_after_session_tip(client, alice, frozen):
    practise(alice, ended=NOW - timedelta(minutes=5), minutes=8)
    page = client.get(TODAY).content.decode()
    assert "Just finished — a tip for next time" in page
    assert tip_for(Moment.AFTER_SESSION, NOW.date()).text in page


def test_after_a_missed_planned_day_today_shows_a_missed_day_tip(client, alice, frozen):
    practise(alice, ended=datetime(2026, 11, 23, 9, tzinfo=UTC), minutes=8)
    page = client.get(TODAY).content.decode()
    assert "Back to it after a missed day" in page
    assert tip_for(Moment.MISSED_DAY, NOW.date()).text in page


def test_on_an_ordinary_day_today_shows_a_general_tip(client, alice, frozen):
    page = client.get(TODAY).content.decode()
    assert tip_for(Moment.TODAY, NOW.date()).text in page
    assert "Back to it after a missed day" not in page
