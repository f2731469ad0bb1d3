"""``backstretch timeline``: the compiled routine, as JSON for a player or a table to read."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backstretch.routines.timeline import JSON_STEP_KEYS, Timeline, format_clock


def run(*args: str) -> str:
    out = StringIO()
    call_command("timeline", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_compiled_timeline() -> None:
    data = json.loads(run("--template", "daily-four", "--json"))
    assert set(data) == {"total_seconds", "steps"}
    assert all(tuple(step) == JSON_STEP_KEYS for step in data["steps"])
    assert data["total_seconds"] == sum(step["seconds"] for step in data["steps"])
    timeline = Timeline.from_json(data)
    assert timeline.steps[0].exercise == "rotation-stretch"
    assert timeline.steps[-1].cue == "Well done: that is all for today."


def test_table_lists_every_step_and_the_total_as_minutes_and_seconds() -> None:
    data = json.loads(run("--template", "bad-day", "--json"))
    lines = run("--template", "bad-day").splitlines()
    header = next(line for line in lines if line.startswith("step"))
    assert header.split() == ["step", "kind", "side", "rep", "seconds", "cue"]
    rows = [line for line in lines if re.match(r"^\d+\s", line)]
    assert len(rows) == len(data["steps"])
    first_hold = next(row for row in rows if " hold " in row)
    assert "left" in first_hold
    assert "Hold. Knees to the left, 1 of" in first_hold
    assert lines[-1] == f"Total: {format_clock(data['total_seconds'])}"
    assert re.fullmatch(r"Total: \d+:\d\d", lines[-1])


def test_unknown_template_lists_the_available_ones() -> None:
    with pytest.raises(CommandError) as error:
        run("--template", "everyday")
    message = str(error.value)
    assert "'everyday'" in message
    for slug in ("bad-day", "daily-four", "daily-four-bed"):
        assert slug in message
