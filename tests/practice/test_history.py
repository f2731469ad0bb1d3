import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backstretch.charts import CHART, FONT
from backstretch.practice import charts
from tests.cast import cleared
from tests.sessions import practise

HISTORY = reverse("practice:history")
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)  # Wednesday 25 November
THREE_HURTS = [{"index": n, "result": "hurt", "hurt_severity": "little"} for n in range(3)]


@pytest.fixture
def alice(patient, client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(cleared(patient))
    return patient


def test_an_empty_history_encourages(client, alice):
    page = client.get(HISTORY).content.decode()
    assert "Your calendar fills in as you go." in page
    assert "Aim for 5 days this week" in page
    assert "pain-chart__svg" not in page
    assert 'class="heatmap"' not in page  # no grid of empty days to stare at


def test_the_heat_map_marks_practised_days_and_today(client, alice):
    practise(alice, day=date(2026, 11, 23))
    practise(alice, day=date(2026, 11, 24))
    practise(alice, day=date(2026, 11, 24), pain_before=6, pain_after=4)
    page = client.get(HISTORY).content.decode()
    assert "Monday 23 November: practised<" in page
    assert "Tuesday 24 November: practised 2 times" in page
    assert "Sunday 22 November: no session" in page
    assert "heat--2" in page
    today_cell = re.search(r'<span class="heat [^"]*heat--today"[^>]*>', page).group(0)
    assert 'aria-current="date"' in today_cell
    assert "Wednesday 25 November: no session (today)" in page
    assert "Thursday 26 November" not in page  # the future is left blank
    assert "A week counts once you practise on 5 different days" in page


def test_the_pain_chart_and_its_summary_are_on_the_page(client, alice):
    for offset, (before, after) in enumerate([(6, 4), (5, 4), (5, 3), (4, 3)]):
        day = date(2026, 11, 2) + timedelta(days=offset * 7)
        practise(alice, day=day, pain_before=before, pain_after=after)
    page = client.get(HISTORY).content.decode()
    assert '<svg class="pain-chart__svg"' in page
    assert 'role="img"' in page
    summary = "Average pain before 5.0, after 3.5 over the last 4 weeks (0 to 10)."
    assert page.count(summary) == 2  # the chart's title and the visible caption
    assert "6 → 4" in page and "before 6, after 4" in page


def test_charlie_never_sees_alices_sessions(client, alice, other_patient):
    practise(
        alice, day=date(2026, 11, 24), pain_before=9, pain_after=2, steps=THREE_HURTS, minutes=17
    )
    client.force_login(cleared(other_patient))
    page = client.get(HISTORY).content.decode()
    assert "Your calendar fills in as you go." in page
    assert "9 → 2" not in page and "17 min" not in page
    assert "practised" not in page.replace("you practised", "")
    assert "Done for today" not in client.get(reverse("practice:today")).content.decode()


def test_pain_days_average_several_sessions_on_one_day():
    days = charts.pain_days([(date(2026, 1, 1), 6, 2), (date(2026, 1, 1), 4, None)])
    assert days == [charts.PainDay(date(2026, 1, 1), 5, 2)]


def test_the_chart_labels_are_large_enough_for_a_phone():
    svg = charts.pain_chart_svg(
        [charts.PainDay(date(2026, 1, 1), 5, 3)], date(2026, 1, 1), date(2026, 1, 1), "summary"
    )
    assert f'font-size="{FONT}"' in svg
    # 400 units drawn across about 350 px of a 390 px phone screen
    assert FONT * 350 / CHART.width >= 14
