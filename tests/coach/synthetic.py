"""Synthetic landmark sequences made from our own skeleton, for the coach's evaluator tests.

A :class:`Plan` lists phases (hold the start pose, move into the end pose, hold it, move back)
and what goes wrong on the way (noise, frames with nobody found, frames where nothing is seen
well, a camera turned round the vertical). :func:`frames` turns it into the timestamped frames
the browser would feed the evaluator (BlazePose axes: x right, y down, z away from the camera),
and :func:`truth` says, frame by frame, where the noise-free body really was against the rules.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from backstretch.library import camera, scene
from backstretch.library import skeleton as sk
from backstretch.library.camera_schema import BLAZEPOSE
from backstretch.library.schema import Exercise, Position, load_library

COACHED = (
    "childs-pose",
    "hamstring-stretch",
    "hip-flexor-stretch",
    "rotation-stretch",
    "glute-bridge",
    "bird-dog",
    "sit-to-stand",
)
HEIGHT_M = 1.7  # the skeleton is 1 tall; people are not


@cache
def library() -> dict[str, Exercise]:
    return load_library()


def coached_position(slug: str) -> Position:
    exercise = library()[slug]
    return next(p for p, v in exercise.positions.items() if v.camera is not None)


@cache
def rules_json(slug: str, side: str = "left") -> dict[str, Any]:
    return camera.compile_rules(library()[slug], coached_position(slug), side)


def rules(slug: str, side: str = "left", **changes: Any) -> dict[str, Any]:
    """The compiled rules, as a fresh copy with ``changes`` applied."""
    return {**rules_json(slug, side), **changes}


@cache
def staged(slug: str, side: str) -> list[sk.Points]:
    exercise = library()[slug]
    return scene.stage(exercise.positions[coached_position(slug)].pose, side).frames


def body_at(slug: str, side: str, f: float) -> sk.Points:
    """The settled body a fraction ``f`` (0 = start pose, 1 = end pose) of the way."""
    frames = staged(slug, side)
    at = max(0.0, min(1.0, f)) * (len(frames) - 1)
    i = min(int(at), len(frames) - 2)
    w = at - i
    a, b = frames[i], frames[i + 1]
    return {n: sk.add(sk.scale(a[n], 1 - w), sk.scale(b[n], w)) for n in BLAZEPOSE}


@dataclass(frozen=True)
class Plan:
    slug: str
    side: str = "left"
    # (kind, seconds): kind is "start", "in" (start to end), "end", "out" (end to start), or a
    # number: hold that fraction of the way to the end pose.
    phases: tuple[tuple[str | float, float], ...] = (
        ("start", 2.0),
        ("in", 2.0),
        ("end", 15.0),
        ("out", 2.0),
        ("start", 2.0),
    )
    fps: float = 15.0
    jitter: float = 0.2  # frame interval varies by this fraction
    noise_m: float = 0.0  # landmark noise, metres (one standard deviation)
    yaw: float = 0.0  # the phone turned round the vertical by this many degrees
    roll: float = 0.0  # the phone tilted sideways by this many degrees
    nobody: tuple[tuple[float, float], ...] = ()  # (from, to) seconds: no landmarks at all
    unseen: tuple[tuple[float, float], ...] = ()  # (from, to): every visibility near 0
    image_only: bool = False  # only image landmarks (the fallback), no world landmarks
    seed: int = 0
    start_ms: float = 1000.0

    @property
    def seconds(self) -> float:
        return sum(seconds for _kind, seconds in self.phases)

    def fraction(self, t: float) -> float:
        """How far (0..1) toward the end pose the body is at ``t`` seconds."""
        f = 0.0
        for kind, seconds in self.phases:
            if t <= seconds:
                x = t / seconds if seconds else 1.0
                return _fraction(kind, x, f)
            t -= seconds
            f = _fraction(kind, 1.0, f)
        return f


def _fraction(kind: str | float, x: float, before: float) -> float:
    if kind == "start":
        return 0.0
    if kind == "end":
        return 1.0
    if kind == "in":
        return before + (1.0 - before) * _ease(x)
    if kind == "out":
        return before * (1.0 - _ease(x))
    return float(kind)


def _ease(x: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * x)


def times(plan: Plan) -> list[float]:
    """Frame times in seconds from the start of the plan, with jittered intervals."""
    rng = random.Random(plan.seed * 7919 + 1)
    out, t = [], 0.0
    step = 1.0 / plan.fps
    while t <= plan.seconds:
        out.append(t)
        t += step * (1.0 + plan.jitter * (2 * rng.random() - 1))
    return out


def _camera_axes(plan: Plan) -> tuple[sk.Vec, sk.Vec, sk.Vec]:
    """The phone's forward, right and up directions in the skeleton's world (z up)."""
    first = staged(plan.slug, plan.side)[0]
    if rules_json(plan.slug, plan.side)["view"] == "feet":
        feet = sk.scale(sk.add(first["left_ankle"], first["right_ankle"]), 0.5)
        head = sk.scale(sk.add(first["left_shoulder"], first["right_shoulder"]), 0.5)
        along = sk.sub(head, feet)
        length = math.hypot(along[0], along[1])
        forward: sk.Vec = (along[0] / length, along[1] / length, 0.0)
    else:  # side on, from the side of the body the rules are written for
        forward = (0.0, -1.0, 0.0) if plan.side == "left" else (0.0, 1.0, 0.0)
    forward = sk.apply(sk.rot_z(plan.yaw), forward)
    up: sk.Vec = (0.0, 0.0, 1.0)
    right = (
        forward[1] * up[2] - forward[2] * up[1],
        forward[2] * up[0] - forward[0] * up[2],
        forward[0] * up[1] - forward[1] * up[0],
    )
    if plan.roll:  # tilt the phone: turn right and up about the forward axis
        c, s = math.cos(math.radians(plan.roll)), math.sin(math.radians(plan.roll))
        right, up = (
            sk.add(sk.scale(right, c), sk.scale(up, s)),
            sk.sub(sk.scale(up, c), sk.scale(right, s)),
        )
    return forward, right, up


def _inside(t: float, windows: tuple[tuple[float, float], ...]) -> bool:
    return any(a <= t < b for a, b in windows)


def frames(plan: Plan) -> list[dict[str, Any]]:
    """The frames the evaluator gets, timestamps in milliseconds."""
    rng = random.Random(plan.seed)
    forward, right, up = _camera_axes(plan)
    out: list[dict[str, Any]] = []
    for t in times(plan):
        frame: dict[str, Any] = {"t": round(plan.start_ms + t * 1000, 3)}
        if _inside(t, plan.nobody):
            out.append(frame)
            continue
        body = body_at(plan.slug, plan.side, plan.fraction(t))
        centre = sk.scale(sk.add(body["left_hip"], body["right_hip"]), 0.5)
        visibility = 0.05 if _inside(t, plan.unseen) else 0.95
        world, image = [], []
        for name in BLAZEPOSE:
            p = sk.scale(sk.sub(body[name], centre), HEIGHT_M)
            x, y, z = (
                sk.dot(p, right) + rng.gauss(0, plan.noise_m),
                -sk.dot(p, up) + rng.gauss(0, plan.noise_m),
                sk.dot(p, forward) + rng.gauss(0, plan.noise_m),
            )
            world.append([round(x, 4), round(y, 4), round(z, 4), visibility])
            image.append(
                [round(0.5 + x / 4, 4), round(0.5 + y / 4, 4), round(z / 4, 4), visibility]
            )
        if plan.image_only:
            frame["image"] = image
        else:
            frame["world"] = world
        out.append(frame)
    return out


@dataclass(frozen=True)
class Truth:
    t: float  # seconds from the start of the plan
    seen: bool  # the body was there and visible
    in_range: bool  # every check within its range (what entering a hold needs)
    near_range: bool  # every check within its range widened by its hysteresis


def truth(plan: Plan) -> list[Truth]:
    """Where the noise-free body was against the rules, frame by frame."""
    exercise = library()[plan.slug]
    position = coached_position(plan.slug)
    camera_rules = exercise.positions[position].camera
    assert camera_rules is not None
    compiled = rules_json(plan.slug, plan.side)
    out = []
    for t in times(plan):
        seen = not _inside(t, plan.nobody) and not _inside(t, plan.unseen)
        body = body_at(plan.slug, "left", plan.fraction(t))  # the right side is its mirror
        inside, near = True, True
        for check, spec in zip(camera_rules.checks, compiled["checks"], strict=True):
            value = camera.measure(check, body)
            low, high = spec["range"]
            inside &= low <= value <= high
            near &= low - check.hysteresis <= value <= high + check.hysteresis
        out.append(Truth(t, seen, seen and inside, seen and near))
    return out


def longest(truths: list[Truth], attribute: str) -> float:
    """The longest stretch of time, in seconds, over which ``attribute`` held frame after frame."""
    best, since = 0.0, None
    for i, item in enumerate(truths):
        if getattr(item, attribute):
            since = item.t if since is None else since
            end = truths[i + 1].t if i + 1 < len(truths) else item.t
            best = max(best, end - since)
        else:
            since = None
    return best
