"""Fixed landmark sequences give a fixed list of states and spoken corrections.

Each golden file in tests/coach/fixtures/ holds the compiled rules, the frames (the landmarks the
rules use; the others are null) and what the evaluator said, one line per change. The test
replays the stored rules and frames, so it pins the evaluator alone: a change to it that changes
what the patient hears shows as a diff, whatever happens to the pose data meanwhile. After a
change meant to do that, remake the files from the current skeleton and rules with
``COACH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/coach/test_golden.py`` and read the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.coach import synthetic as syn

GOLDEN = Path(__file__).with_name("fixtures")

SCENES: dict[str, tuple[syn.Plan, dict[str, Any]]] = {
    # Child's pose with a wobbly camera: a dropped second, then nobody for three seconds.
    "childs-pose-dropouts": (
        syn.Plan(
            "childs-pose",
            phases=(("start", 3.0), ("in", 2.0), ("end", 25.0), ("out", 2.0), ("start", 3.0)),
            noise_m=0.006,
            nobody=((9.0, 9.3), (14.0, 17.0)),
            seed=18,
        ),
        {},
    ),
    # Hip flexor stretch on the right side, phone turned 25 degrees, frames arriving late.
    "hip-flexor-right-turned": (
        syn.Plan(
            "hip-flexor-stretch",
            "right",
            phases=(("start", 2.0), ("in", 2.0), ("end", 13.0), ("out", 2.0), ("start", 2.0)),
            noise_m=0.005,
            yaw=25,
            seed=7,
        ),
        {"late_every": 17},
    ),
    # Rotation stretch from the feet, image landmarks only: half way first (not yet), then all
    # the way, twice.
    "rotation-half-then-full": (
        syn.Plan(
            "rotation-stretch",
            phases=(
                ("start", 2.0),
                (0.5, 4.0),
                ("start", 1.0),
                ("in", 1.5),
                ("end", 7.0),
                ("out", 1.5),
                ("start", 2.0),
                ("in", 1.5),
                ("end", 7.0),
                ("out", 1.5),
            ),
            noise_m=0.004,
            image_only=True,
            seed=3,
        ),
        {},
    ),
}


def scene_frames(plan: syn.Plan, late_every: int = 0) -> list[dict[str, Any]]:
    frames = syn.frames(plan)
    if not late_every:
        return frames
    mixed = []
    for i, frame in enumerate(frames):
        mixed.append(frame)
        if i and i % late_every == 0:
            mixed.append(frames[i - 3])  # a frame arriving late: ignored
    return mixed


def summary(outputs: list[dict[str, Any]], plan: syn.Plan) -> list[str]:
    """One line per change of state and per spoken correction, time from the plan's start."""
    lines: list[str] = []
    last, line, peak = None, -1, 0.0

    def close_hold() -> None:
        if last and last.startswith("holding"):
            lines[line] += f" (held {peak:.2f}s)"

    for out in outputs:
        at = f"{(out['t'] - plan.start_ms) / 1000:6.2f}s"
        if out.get("ignored"):
            lines.append(f"{at} ignored (late frame)")
            continue
        if out["state"] == "not_in_position":
            check = out.get("check")
            detail = f" {check} {out['direction']} {out['message']}" if check else " entering"
        elif out["state"] == "not_seen":
            detail = " " + ",".join(out["landmarks"])
        elif out["state"] == "rep_done":
            detail = f" reps={out['reps']}"
        else:
            detail = ""
        key = out["state"] + detail
        if key != last:
            close_hold()
            lines.append(f"{at} {key}")
            last, line, peak = key, len(lines) - 1, 0.0
        peak = max(peak, out.get("elapsed", 0.0))
        if out["cue"]:
            lines.append(f"{at} say: {out['cue']['key']}")
    close_hold()
    return lines


def stored_frames(rules: dict[str, Any], frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The frames with only the landmarks the rules use, to the millimetre: small files."""
    used = {rules["landmarks"].index(name) for name in rules["required"]}
    out = []
    for frame in frames:
        kept: dict[str, Any] = {"t": frame["t"]}
        for kind in ("world", "image"):
            if kind in frame:
                kept[kind] = [
                    [round(v, 3) for v in lm[:3]] + [lm[3]] if i in used else None
                    for i, lm in enumerate(frame[kind])
                ]
        out.append(kept)
    return out


@pytest.mark.parametrize("name", sorted(SCENES))
def test_a_fixed_sequence_gives_the_states_and_corrections_it_always_gave(evaluator, name):
    plan, options = SCENES[name]
    path = GOLDEN / f"{name}.json"
    if os.environ.get("COACH_UPDATE_GOLDEN"):
        rules = syn.rules(plan.slug, plan.side)
        frames = stored_frames(rules, scene_frames(plan, **options))
        said = summary(evaluator.run(rules, frames), plan)
        GOLDEN.mkdir(exist_ok=True)
        head = json.dumps({"said": said, "rules": rules}, indent=1)[:-2]  # one frame a line:
        lines = ",\n".join(json.dumps(frame, separators=(",", ":")) for frame in frames)
        path.write_text(f'{head},\n "frames": [\n{lines}\n]}}\n', encoding="utf-8")
        pytest.skip(f"wrote {path}")
    assert path.exists(), f"no golden file {path}: run with COACH_UPDATE_GOLDEN=1 to write it"
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert summary(evaluator.run(golden["rules"], golden["frames"]), plan) == golden["said"]
