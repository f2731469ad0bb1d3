"""Camera rules compiled for the browser's coach, and checked against the exercise's own figure.

Pure Python (no Django). A position's ``camera`` table (:mod:`camera_schema`) names its joint
checks; a check with ``target = "end"`` takes its range from the position's end pose as the
figure draws it (:func:`scene.stage` settles it on its surfaces), give or take ``tolerance``, so
figure and coach agree. :func:`compile_rules` turns the rules of one exercise, position and
side into the plain JSON-ready dict that ``static/player/coach-evaluator.js`` reads;
:func:`problems` is what ``backstretch library check`` reports: a rule whose end pose is out of
range, or whose start pose is already in position (the coach would count a hold before the
patient moved).

Measures here use the skeleton's axes (z up); the evaluator computes the same measures from
BlazePose landmarks (y down), so both give the same degrees for the same body.
"""

from __future__ import annotations

import math
from typing import Any

from . import scene
from . import skeleton as sk
from .camera_schema import BLAZEPOSE, CameraCheck, CameraRules, landmarks_of
from .schema import Exercise, Position, Sides

# Evaluator settings shared by every exercise (seconds): smoothing time constant of the
# measured angles, how long a correction must stand before it is said, and the least time
# between two spoken corrections.
SMOOTHING_SECONDS = 0.2
CUE_SECONDS = 1.5
CUE_GAP_SECONDS = 4.0
FORMAT = 1  # bumped when the compiled shape changes


def point(points: sk.Points, name: str) -> sk.Vec:
    """A landmark, or the midpoint of a left/right pair for ``mid_*``."""
    if name.startswith("mid_"):
        left, right = landmarks_of(name)
        return sk.scale(sk.add(points[left], points[right]), 0.5)
    return points[name]


def _between(u: sk.Vec, v: sk.Vec) -> float:
    lengths = sk.norm(u) * sk.norm(v)
    if lengths < 1e-9:
        return float("nan")
    return math.degrees(math.acos(max(-1.0, min(1.0, sk.dot(u, v) / lengths))))


def measure(check: CameraCheck, points: sk.Points) -> float:
    """The check's measure, in degrees, on a posed body (skeleton axes: z up)."""
    if check.angle is not None:
        a, b, c = (point(points, name) for name in check.angle)
        return _between(sk.sub(a, b), sk.sub(c, b))
    assert check.incline is not None
    a, b = (point(points, name) for name in check.incline)
    return _between(sk.sub(b, a), (0.0, 0.0, 1.0))


def _swap(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    return name


def _frames(exercise: Exercise, position: Position, side: str) -> tuple[sk.Points, sk.Points]:
    staged = scene.stage(exercise.positions[position].pose, side)
    return staged.frames[0], staged.frames[-1]


def check_range(check: CameraCheck, end: sk.Points) -> tuple[float, float]:
    """The range a check enters at: its fixed range, or the end pose's measure ± tolerance."""
    if check.range is not None:
        return check.range[0], check.range[1]
    assert check.tolerance is not None
    value = measure(check, end)
    return max(0.0, value - check.tolerance), min(180.0, value + check.tolerance)


def sides_of(exercise: Exercise, position: Position) -> tuple[str, ...]:
    return ("left",) if exercise.dosage_for(position).sides == Sides.NONE else ("left", "right")


def compile_rules(exercise: Exercise, position: Position, side: str = "left") -> dict[str, Any]:
    """The evaluator's input for one exercise, position and side (``left`` for two-sided
    exercises). Rules are written for the left side; the right side swaps the landmarks."""
    rules = exercise.positions[position].camera
    if rules is None:
        raise ValueError(f"{exercise.slug}: position {position.value} has no camera rules")
    if side not in sk.SIDES:
        raise ValueError(f"side must be left or right, got {side!r}")
    if sides_of(exercise, position) == ("left",):
        side = "left"
    rename = _swap if side == "right" else (lambda name: name)
    # The right side is the mirror image of the left: the same measures, the same ranges.
    _start, end = _frames(exercise, position, "left")
    checks = []
    required: list[str] = []
    for check in rules.checks:
        low, high = check_range(check, end)
        points = [rename(name) for name in check.points]
        checks.append(
            {
                "name": check.name,
                "kind": "angle" if check.angle is not None else "incline",
                "points": points,
                "range": [round(low, 1), round(high, 1)],
                "hysteresis": check.hysteresis,
                "when_low": check.when_low,
                "when_high": check.when_high,
            }
        )
        required += [lm for name in points for lm in landmarks_of(name)]
    required += [lm for name in rules.required for lm in landmarks_of(rename(name))]
    return {
        "format": FORMAT,
        "exercise": exercise.slug,
        "position": position.value,
        "side": side,
        "view": rules.view.value,
        "landmarks": list(BLAZEPOSE),
        "required": sorted(set(required), key=BLAZEPOSE.index),
        "min_visibility": rules.min_visibility,
        "enter_seconds": rules.enter_seconds,
        "dropout_seconds": rules.dropout_seconds,
        "hold_seconds": exercise.dosage_for(position).hold_seconds,
        "smoothing_seconds": SMOOTHING_SECONDS,
        "cue_seconds": CUE_SECONDS,
        "cue_gap_seconds": CUE_GAP_SECONDS,
        "checks": checks,
    }


def _describe(check: CameraCheck) -> str:
    if check.angle is not None:
        return "angle " + "–".join(check.angle)
    assert check.incline is not None
    return "incline " + "→".join(check.incline)


def rule_problems(exercise: Exercise, position: Position, rules: CameraRules) -> list[str]:
    """What is wrong with one position's camera rules against its own figure."""
    where = f"{exercise.slug}: positions.{position.value}.camera"
    lines: list[str] = []
    start, end = _frames(exercise, position, "left")
    start_out: list[str] = []
    for check in rules.checks:
        low, high = check_range(check, end)
        name = f"check {check.name!r} ({_describe(check)})"
        if high - low < 2 * check.hysteresis:
            lines.append(
                f"{where}: {name}: range {low:.0f}..{high:.0f} is narrower than twice its "
                f"hysteresis ({check.hysteresis:g}); widen the tolerance"
            )
        at_end, at_start = measure(check, end), measure(check, start)
        if not low <= at_end <= high:
            lines.append(
                f"{where}: {name}: the end pose measures {at_end:.0f}°, outside the range "
                f"{low:.0f}..{high:.0f}; the figure's end pose must satisfy its own rules"
            )
        if not low <= at_start <= high:
            start_out.append(check.name)
    if not start_out:
        lines.append(
            f"{where}: the start pose satisfies every check, so the coach would count a hold "
            "before the patient moves; add or narrow a check so the start pose is out of range"
        )
    return lines


def problems(exercises: dict[str, Exercise]) -> list[str]:
    """Every camera rule that disagrees with its exercise's figure, one readable line each."""
    lines: list[str] = []
    for slug in sorted(exercises):
        exercise = exercises[slug]
        for position, variant in exercise.positions.items():
            if variant.camera is not None:
                lines.extend(rule_problems(exercise, position, variant.camera))
    return lines
