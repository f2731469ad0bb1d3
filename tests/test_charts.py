"""The shared SVG pieces every chart is drawn with (backstretch/charts.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch import charts
from backstretch.charts import CHART

FIRST = date(2026, 1, 5)


def test_the_scale_puts_10_at_the_top_and_0_at_the_bottom_of_the_plot():
    assert CHART.y_of(10) == CHART.top
    assert CHART.y_of(0) == CHART.height - CHART.bottom
    assert CHART.y_of(5) == pytest.approx(CHART.top + CHART.plot_height / 2)


def test_days_run_from_the_left_edge_to_the_right_edge_and_a_single_day_sits_in_the_middle():
    last = FIRST + timedelta(days=10)
    assert CHART.x_of_day(FIRST, FIRST, last) == CHART.left
    assert CHART.x_of_day(last, FIRST, last) == CHART.width - CHART.right
    assert CHART.x_of_day(FIRST, FIRST, FIRST) == CHART.left + CHART.plot_width / 2


@given(st.integers(0, 400), st.integers(1, 400), st.floats(0, 10))
def test_every_point_in_the_window_falls_inside_the_plot(offset, span, value):
    x, y = CHART.x_at(min(offset, span), span), CHART.y_of(value)
    assert CHART.left <= x <= CHART.width - CHART.right
    assert CHART.top <= y <= CHART.height - CHART.bottom


def test_the_value_axis_has_a_line_and_a_number_every_two_points():
    axis = charts.value_axis(CHART)
    assert axis.count("<line") == 6 and axis.count("<text") == 6
    assert (
        '<line x1="38" x2="386" y1="210.0" y2="210.0" stroke="#d9dedb" stroke-width="2"/>' in axis
    )
    assert ">10</text>" in axis


def test_the_day_axis_names_the_ends_and_the_middle_when_asked():
    last = FIRST + timedelta(days=20)
    axis = charts.day_axis(CHART, FIRST, last, lambda day: f"<{day.day}>", middle=True)
    assert [anchor in axis for anchor in ("start", "middle", "end")] == [True, True, True]
    assert "&lt;5&gt;" in axis and "&lt;25&gt;" in axis  # the words are escaped
    assert "middle" not in charts.day_axis(CHART, FIRST, last, str)


def test_a_line_needs_two_points_and_may_be_dashed():
    assert charts.line([(1, 2)], "#000") == ""
    drawn = charts.line([(1, 2), (3.25, 4)], "#000", dashed=True)
    assert 'points="1.0,2.0 3.2,4.0"' in drawn and 'stroke-dasharray="7 5"' in drawn


def test_titled_charts_escape_their_names():
    titled = charts.titled_svg(CHART, "chart", "c1", "x & y")
    assert (
        'aria-labelledby="c1-title"' in titled
        and '<title id="c1-title">x &amp; y</title>' in titled
    )


def test_marks_are_drawn_where_asked():
    assert charts.dot((1, 2), 2.6, "#111") == '<circle cx="1.0" cy="2.0" r="2.6" fill="#111"/>'
    assert 'stroke="#fff" stroke-width="2"' in charts.dot((1, 2), 5.5, "#111", "#fff", 2)
    assert charts.square((10, 10), 2, "#111") == (
        '<rect x="8.0" y="8.0" width="4.0" height="4.0" fill="#111"/>'
    )
