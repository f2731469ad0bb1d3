"""Settle a posed body so the points the data names rest on their surfaces.

Pure Python (no Django, no numpy). The data's ``staging`` names, for the start and the end
keyframe, which body points rest on which surface. :func:`settle` moves the body up or down and
nudges the pelvis and the limbs that carry a contact (a damped least-squares fit, each angle
pulled back toward the value the data gives) until every named point touches its surface and no
skin goes through the floor. Walls and chair backs are vertical planes found here and kept by
:mod:`scene`, which also places the furniture under the settled body.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import schema
from . import skeleton as sk
from .staging import ContactSurface as CS

CHAIR_SEAT = sk.SURFACE_TOP["chair"]
CHAIR_BACK_TOP = CHAIR_SEAT + 0.3
PILLOW_THICKNESS = 0.045
LEVEL: dict[CS, float] = {
    CS.FLOOR: 0.0,
    CS.MAT: sk.SURFACE_TOP["mat"],
    CS.BED: sk.SURFACE_TOP["bed"],
    CS.CHAIR_SEAT: CHAIR_SEAT,
}
VERTICAL = (CS.WALL, CS.CHAIR_BACK)

_TRUNK_POINTS = {*sk.TORSO, *sk.TORSO_SPINE, "sacrum"}
_ARM = ("elbow", "wrist", "hand_tip", "palm", "index", "pinky", "thumb")
_LEG = ("knee", "ankle", "heel", "foot_index")
LIMB_JOINTS = {
    "arm": (("shoulder", "flexion"), ("shoulder", "abduction"), ("elbow", "flexion")),
    "leg": (("hip", "flexion"), ("hip", "abduction"), ("knee", "flexion"), ("ankle", "flexion")),
}
HINGE_RANGE = {"elbow": (0.0, 160.0), "knee": (0.0, 160.0), "ankle": (-60.0, 40.0)}


def point_radius(name: str) -> float:
    """Half the thickness of the body at a landmark: how far its skin is from its centre."""
    if name in _TRUNK_POINTS:
        return sk.RADIUS["torso"]
    if name == "head_centre":
        return sk.HEAD_RADIUS
    if name == "nose":
        return 0.017
    if name.endswith("_palm"):
        return sk.RADIUS["hand"]
    if name.endswith(("_pinky", "_thumb")) or (name.endswith("_index") and "foot" not in name):
        return 0.005  # already on the hand's skin
    radii = [sk.RADIUS[key] for a, b, key in sk.LIMBS if name in (a, b)]
    return max(radii, default=0.0)


def limb_of(name: str) -> tuple[str, str] | None:
    """("left", "leg") for "left_heel"; None for a point of the trunk or head."""
    side, _, part = name.partition("_")
    if side not in sk.SIDES:
        return None
    if part in _ARM:
        return side, "arm"
    if part in _LEG:
        return side, "leg"
    return None


@dataclass(frozen=True)
class Plane:
    """A vertical surface: it fills the space where ``sign * p[axis] >= coord``."""

    axis: int
    sign: float
    coord: float

    def gap(self, p: sk.Vec, radius: float) -> float:
        return self.coord - (self.sign * p[self.axis] + radius)


@dataclass(frozen=True)
class Frame:
    """One settled keyframe: the angles actually drawn, and the points in the world."""

    keyframe: schema.Keyframe
    points: sk.Points
    dz: float


Contacts = dict[CS, list[str]]


def base_level(surface: schema.Surface) -> float:
    """Where a pillow or a lying body starts: the top of the pose's own surface."""
    return {"mat": LEVEL[CS.MAT], "bed": LEVEL[CS.BED]}.get(str(surface), 0.0)


def level_of(surface: CS, pose_surface: schema.Surface, contacts: Contacts) -> float | None:
    """The height a point on ``surface`` rests at, or None for a vertical surface."""
    if surface is CS.PILLOW:
        return base_level(pose_surface) + PILLOW_THICKNESS
    if surface is CS.CHAIR_BACK and CS.CHAIR_SEAT not in contacts:
        return CHAIR_BACK_TOP  # standing, a hand on the backrest's top rail
    return LEVEL.get(surface)


def find_plane(surface: CS, points: sk.Points, names: Sequence[str]) -> Plane:
    """The vertical plane that the named points lean on: a chair back behind a seated body;
    a wall on whichever side (front, back, left, right) the points stand out most."""
    if surface is CS.CHAIR_BACK:
        options = [(0, -1.0)]
    else:
        options = [(axis, sign) for axis in (0, 1) for sign in (1.0, -1.0)]
    centre = points["mid_hip"]

    def reach(option: tuple[int, float]) -> float:
        axis, sign = option
        return min(sign * (points[n][axis] - centre[axis]) for n in names)

    axis, sign = max(options, key=reach)
    coord = max(sign * points[n][axis] + point_radius(n) for n in names)
    return Plane(axis, sign, coord)


def residuals(
    points: sk.Points,
    contacts: Contacts,
    pose_surface: schema.Surface,
    planes: dict[CS, Plane],
    floor: Callable[[str], float],
) -> list[float]:
    """How far each named point's skin is from its surface (negative: through it), then how
    far any skin goes below its ``floor`` (the mat or mattress, or the floor for a limb that
    reaches down to it)."""
    out: list[float] = []
    for surface, names in contacts.items():
        level = level_of(surface, pose_surface, contacts)
        for name in names:
            radius = point_radius(name)
            if level is not None:
                out.append(points[name][2] - radius - level)
            elif surface in planes:
                out.append(planes[surface].gap(points[name], radius))
    for name, p in points.items():  # one entry per point, so the Jacobian's rows line up
        out.append(min(0.0, p[2] - point_radius(name) - floor(name)))
    return out


# --- the fit ----------------------------------------------------------------------------


def _solve_linear(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [[*row[:], b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def least_squares(
    fn: Callable[[list[float]], list[float]], x0: list[float], iterations: int = 20
) -> list[float]:
    """Levenberg-Marquardt with a forward-difference Jacobian; ``fn`` returns as many
    residuals for every ``x``."""
    x = list(x0)
    r = fn(x)
    cost = sum(v * v for v in r)
    damping = 1e-3
    step = 1e-3
    for _ in range(iterations):
        if cost < 1e-10:
            break
        columns = []
        for j in range(len(x)):
            moved = list(x)
            moved[j] += step
            rj = fn(moved)
            columns.append([(a - b) / step for a, b in zip(rj, r, strict=True)])
        n = len(x)
        jtj = [
            [sum(a * b for a, b in zip(columns[i], columns[k], strict=True)) for k in range(n)]
            for i in range(n)
        ]
        jtr = [sum(a * b for a, b in zip(columns[i], r, strict=True)) for i in range(n)]
        improved = False
        gain = 0.0
        for _attempt in range(6):
            a = [
                [jtj[i][k] + (damping * (jtj[i][i] + 1e-9) if i == k else 0.0) for k in range(n)]
                for i in range(n)
            ]
            dx = _solve_linear(a, [-g for g in jtr])
            trial = [xi + di for xi, di in zip(x, dx, strict=True)]
            rt = fn(trial)
            trial_cost = sum(v * v for v in rt)
            if trial_cost < cost:
                gain = cost - trial_cost
                x, r, cost = trial, rt, trial_cost
                damping = max(damping / 3, 1e-7)
                improved = True
                break
            damping *= 4
        if not improved or gain < 1e-10:
            break
    return x


def _free_joints(contacts: Contacts) -> list[tuple[str, str]]:
    """(side_joint, field) for every joint of a limb that carries a contact."""
    limbs = {limb_of(n) for names in contacts.values() for n in names} - {None}
    free: list[tuple[str, str]] = [("pelvis", "pitch"), ("pelvis", "roll")]
    if any(n in names for names in contacts.values() for n in ("head_centre", "nose")):
        free.append(("neck", "flexion"))
    for side, limb in sorted(limb for limb in limbs if limb is not None):
        free += [(f"{side}_{joint}", field) for joint, field in LIMB_JOINTS[limb]]
    return free


def _keyframe(base: dict[str, Any], free: list[tuple[str, str]], x: Sequence[float]) -> Any:
    data = {k: dict(v) for k, v in base.items()}
    for (part, field), delta in zip(free, x, strict=True):
        value = data[part][field] + delta
        low, high = HINGE_RANGE.get(part.split("_")[-1], (-180.0, 180.0))
        if part == "neck":
            low, high = (-70.0, 80.0)
        data[part][field] = min(high, max(low, value))
    return schema.Keyframe.model_validate(data)


def lifted(points: sk.Points, dz: float, slide: tuple[float, float] = (0.0, 0.0)) -> sk.Points:
    return {n: (p[0] + slide[0], p[1] + slide[1], p[2] + dz) for n, p in points.items()}


def settle(
    keyframe: schema.Keyframe,
    contacts: Contacts,
    pose_surface: schema.Surface,
    planes: dict[CS, Plane],
    slide: Callable[[sk.Points], tuple[float, float]],
) -> Frame:
    """Fit ``keyframe`` so its named points touch their surfaces (see the module docstring)."""
    base = sk._resolved(keyframe)
    free = _free_joints(contacts)
    floor = floor_of(contacts, pose_surface)
    weights = [0.0008 if part == "pelvis" else 0.0004 for part, _ in free]  # per degree

    levels = rest_levels(contacts, pose_surface)

    def posed(x: Sequence[float]) -> sk.Points:
        raw = sk.landmarks(_keyframe(base, free, x[1:]))
        moved = lifted(raw, x[0])
        sk._rest_arms(moved, levels)
        sk._rest_hands(moved, levels)
        sk._rest_feet(moved, levels)
        return lifted(moved, 0.0, slide(moved))

    def fn(x: list[float]) -> list[float]:
        pts = posed(x)
        out = residuals(pts, contacts, pose_surface, planes, floor)
        return out + [w * v for w, v in zip(weights, x[1:], strict=True)]

    raw = sk.landmarks(keyframe)
    lifts = [
        level - (raw[n][2] - point_radius(n))
        for surface, names in contacts.items()
        if (level := level_of(surface, pose_surface, contacts)) is not None
        for n in names
    ]
    lifts.append(max(floor(n) - (p[2] - point_radius(n)) for n, p in raw.items()))
    x0 = [max(lifts), *([0.0] * len(free))]
    x = least_squares(fn, x0)
    return Frame(_keyframe(base, free, x[1:]), posed(x), x[0])


def floor_of(contacts: Contacts, pose_surface: schema.Surface) -> Callable[[str], float]:
    """The lowest a point's skin may go: the mat or the mattress under a body on it, the floor
    for a limb that reaches the floor (a leg over the edge of the bed) and on a chair."""
    base = base_level(pose_surface)
    down = {limb_of(n) for n in contacts.get(CS.FLOOR, [])}

    def floor(name: str) -> float:
        return 0.0 if limb_of(name) in down and limb_of(name) is not None else base

    if pose_surface is schema.Surface.CHAIR or not base:
        return lambda name: 0.0
    return floor


def rest_levels(contacts: Contacts, pose_surface: schema.Surface) -> list[float]:
    """The heights hands and feet may lie flat on: the floor and every surface in use."""
    levels = {0.0, base_level(pose_surface)}
    for surface in contacts:
        level = level_of(surface, pose_surface, contacts)
        if level is not None:
            levels.add(level)
    return sorted(levels)


def rest_between(
    keyframe: schema.Keyframe,
    held: Contacts,
    pose_surface: schema.Surface,
    dz: float,
    slide: Callable[[sk.Points], tuple[float, float]],
) -> sk.Points:
    """An in-between frame: lifted so the contacts held from start to end stay down (else by
    ``dz``), never through the floor."""
    moved = sk.landmarks(keyframe)
    floor = floor_of(held, pose_surface) if held else (lambda name: 0.0)
    levels = rest_levels(held, pose_surface)
    # The body rides on what it rests on with its trunk and legs (hands on the way slide).
    base = {
        surface: kept
        for surface, names in held.items()
        if (kept := [n for n in names if (limb_of(n) or ("", ""))[1] != "arm"])
    }
    held = base or held
    carried_names = {n for names in held.values() for n in names}
    shift = dz
    for _ in range(2):  # again once hands and feet lie flat, which changes the lowest points
        lifts = [
            level - (moved[n][2] - point_radius(n))
            for surface, names in held.items()
            if (level := level_of(surface, pose_surface, held)) is not None
            for n in names
        ]
        if lifts:
            shift = sum(lifts) / len(lifts)
        carried = [n for n in moved if limb_of(n) is None or n in carried_names]
        shift = max(shift, max(floor(n) - (moved[n][2] - point_radius(n)) for n in carried))
        moved = lifted(moved, shift)
        sk._rest_arms(moved, levels)
        sk._rest_hands(moved, levels)
        sk._rest_feet(moved, levels)
        shift = 0.0
    for name, p in moved.items():  # a free arm or leg on its way slides along the surface
        low = floor(name) + point_radius(name)
        if p[2] < low:
            moved[name] = (p[0], p[1], low)
    return lifted(moved, 0.0, slide(moved))


def centroid(points: sk.Points, names: Sequence[str]) -> tuple[float, float]:
    return (
        sum(points[n][0] for n in names) / len(names),
        sum(points[n][1] for n in names) / len(names),
    )


def held_contacts(start: Contacts, end: Contacts) -> Contacts:
    """Points resting on the same surface at the start and the end."""
    held: Contacts = {}
    for surface, names in start.items():
        same = [n for n in names if n in end.get(surface, [])]
        if same:
            held[surface] = same
    return held


def anchor_points(start: Contacts, end: Contacts) -> list[str]:
    """The points that stay put on the ground from start to end (so knees do not skate)."""
    held = held_contacts(start, end)
    names = [n for s, ns in held.items() if s not in VERTICAL for n in ns]
    return sorted(set(names)) or ["mid_hip"]


def travel(a: sk.Points, b: sk.Points, name: str) -> float:
    return math.dist(a[name], b[name])
