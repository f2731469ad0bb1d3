"""Landmarks recorded from the real pose model, replayed through the coach's evaluator.

The only photographs of people we have (Debian's opencv-doc) show them standing, so the scene is
the chair's sit-to-stand, whose end position is standing up: nobody (a bowl of fruit), a man
standing upright (in position: the hold counts), a man with his knees bent (not standing up:
"Stand up tall"), nobody again. ``record_real.py`` plays it to mediapipe's Python runtime in
VIDEO mode, as the browser runs the same model file, with the network cut off.

The golden file keeps the recorded frames and what the coach said of them, so the evaluator
is pinned on real model output; a second test records the scene again and checks the model
still tells the same story. Remake the file with ``COACH_UPDATE_GOLDEN=1`` (and read the diff).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.coach import synthetic as syn
from tests.coach.test_golden import stored_frames, summary
from tests.coach.test_pose_model import MODEL, PHOTOS

RECORDER = Path(__file__).with_name("record_real.py")
GOLDEN = Path(__file__).with_name("fixtures") / "recorded-sit-to-stand.json"
SCENE = (("fruits.jpg", 1.5), ("basketball1.png", 4.0), ("messi5.jpg", 4.0), ("fruits.jpg", 1.5))
FROM_START = SimpleNamespace(start_ms=0)


def record() -> list[dict[str, Any]]:
    assert MODEL.is_file(), f"{MODEL} is missing: `make install` builds it"
    parts = [f"{PHOTOS / name}:{seconds}" for name, seconds in SCENE]
    done = subprocess.run(
        ["unshare", "--net", sys.executable, str(RECORDER), str(MODEL), *parts],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    frames: list[dict[str, Any]] = json.loads(done.stdout)
    return frames


def states(said: list[str]) -> list[str]:
    """The story without its times: each state and correction, in order."""
    return [line.split(maxsplit=1)[1].split(" (held")[0] for line in said]


def test_frames_recorded_from_the_real_model_give_what_the_coach_always_said(evaluator):
    if os.environ.get("COACH_UPDATE_GOLDEN"):
        rules = syn.rules("sit-to-stand")
        frames = stored_frames(rules, record())
        said = summary(evaluator.run(rules, frames), FROM_START)
        head = json.dumps({"scene": SCENE, "said": said, "rules": rules}, indent=1)[:-2]
        lines = ",\n".join(json.dumps(frame, separators=(",", ":")) for frame in frames)
        GOLDEN.write_text(f'{head},\n "frames": [\n{lines}\n]}}\n', encoding="utf-8")
        pytest.skip(f"wrote {GOLDEN}")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    said = summary(evaluator.run(golden["rules"], golden["frames"]), FROM_START)
    assert said == golden["said"]
    # What a patient would notice: nobody, then held and counted once, then one correction,
    # then nobody again.
    story = states(said)
    assert story[0] == "no_person" and story[-1] == "no_person"
    assert "holding" in story and story.count("rep_done reps=1") == 1
    assert "say: stand-up-tall" in story
    assert story.index("holding") < story.index("say: stand-up-tall")


def test_the_real_model_tells_the_same_story_when_recorded_again(evaluator):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    frames = stored_frames(golden["rules"], record())
    said = summary(evaluator.run(golden["rules"], frames), FROM_START)
    assert states(said) == states(golden["said"])
