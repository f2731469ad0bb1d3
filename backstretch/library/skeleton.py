"""A small 3D kinematic skeleton posed by the joint angles of a :class:`schema.Keyframe`.

Pure Python: no Django, no numpy. Lengths are fractions of body height (H = 1), after
Winter's anthropometric tables. World axes at neutral: x forward, y to the body's left, z up.
The pose convention is the one in :mod:`schema`'s docstring; rotations are intrinsic:

* pelvis: ``pitch`` about its left axis, then ``roll`` about its forward axis, then ``twist``
  about its long axis;
* spine: flexion, side bend and rotation, each split evenly over a lumbar and a thoracic part;
* neck: flexion, then rotation; shoulder and hip: flexion, then abduction, then axial rotation;
  elbow, knee and ankle: one hinge each.

:func:`landmarks` names its points like the 33 BlazePose landmarks (``nose``, ``left_wrist``,
``right_foot_index``…) and adds a few of its own (``mid_hip``, ``waist``, ``neck``,
``head_centre``, ``left_hand_tip``…). :mod:`settle` rests a posed body on its surfaces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from . import schema

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
Points = dict[str, Vec]
SIDES = ("left", "right")

# Segment lengths (fractions of body height).
THIGH = 0.245
SHANK = 0.246
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
PELVIS = 0.04  # hip-joint centre up to the lumbosacral joint
LUMBAR = 0.11
THORACIC = 0.14  # PELVIS + LUMBAR + THORACIC = 0.29: hip centre to shoulder centre
NECK = 0.053
HIP_HALF_WIDTH = 0.05  # hip joints 0.10 apart
SHOULDER_HALF_WIDTH = 0.11  # shoulder joints 0.22 apart
HEAD_RADIUS = 0.065
HEEL: Vec = (-0.04, 0.0, -0.024)  # from the ankle, in the foot's frame
TOE: Vec = (0.11, 0.0, -0.024)  # foot length heel to toe 0.15

# Half thicknesses, used both to draw the body and to rest it on its surface.
RADIUS: dict[str, float] = {
    "thigh": 0.042,
    "shank": 0.032,
    "foot": 0.017,
    "upper_arm": 0.027,
    "forearm": 0.022,
    "hand": 0.017,
    "neck": 0.026,
    "torso": 0.056,
    "head": HEAD_RADIUS,
}

# (from, to, radius key): the body's limbs as rounded capsules.
LIMBS: list[tuple[str, str, str]] = []
for _s in SIDES:
    LIMBS += [
        (f"{_s}_hip", f"{_s}_knee", "thigh"),
        (f"{_s}_knee", f"{_s}_ankle", "shank"),
        (f"{_s}_ankle", f"{_s}_heel", "foot"),
        (f"{_s}_heel", f"{_s}_foot_index", "foot"),
        (f"{_s}_ankle", f"{_s}_foot_index", "foot"),
        (f"{_s}_shoulder", f"{_s}_elbow", "upper_arm"),
        (f"{_s}_elbow", f"{_s}_wrist", "forearm"),
        (f"{_s}_wrist", f"{_s}_hand_tip", "hand"),
    ]
LIMBS.append(("neck", "head_base", "neck"))

# The torso's outline (drawn filled, with rounded edges of the torso radius).
TORSO = [
    "left_hip",
    "left_waist",
    "left_chest",
    "right_chest",
    "right_waist",
    "right_hip",
]
TORSO_SPINE = ["mid_hip", "waist", "neck"]

SURFACE_TOP: dict[str, float] = {"mat": 0.01, "bed": 0.28, "chair": 0.25, "floor": 0.0}


# --- vector and rotation helpers ---------------------------------------------------------


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def norm(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def distance(a: Vec, b: Vec) -> float:
    return norm(sub(a, b))


def rot_x(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def matmul(a: Mat, b: Mat) -> Mat:
    (b00, b01, b02), (b10, b11, b12), (b20, b21, b22) = b
    return tuple(  # type: ignore[return-value]
        (
            r0 * b00 + r1 * b10 + r2 * b20,
            r0 * b01 + r1 * b11 + r2 * b21,
            r0 * b02 + r1 * b12 + r2 * b22,
        )
        for r0, r1, r2 in a
    )


def chain(*mats: Mat) -> Mat:
    result = IDENTITY
    for m in mats:
        result = matmul(result, m)
    return result


def apply(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


# --- posing ---------------------------------------------------------------------------


def _ball(flexion: float, abduction: float, rotation: float, side: str) -> Mat:
    """Flexion (limb forward and up), abduction (out to its side), external rotation."""
    sign = 1.0 if side == "left" else -1.0
    return chain(rot_y(-flexion), rot_x(sign * abduction), rot_z(sign * rotation))


def landmarks(keyframe: schema.Keyframe) -> Points:
    """The posed body's points in world coordinates, hip-joint centre at the origin."""
    kf = keyframe
    pts: Points = {}
    pelvis = chain(rot_y(kf.pelvis.pitch), rot_x(-kf.pelvis.roll), rot_z(kf.pelvis.twist))
    half = chain(
        rot_y(kf.spine.flexion / 2), rot_x(-kf.spine.side_bend / 2), rot_z(kf.spine.rotation / 2)
    )
    lumbar = matmul(pelvis, half)
    thorax = matmul(lumbar, half)
    origin: Vec = (0.0, 0.0, 0.0)
    pts["mid_hip"] = origin
    sacrum = apply(pelvis, (0.0, 0.0, PELVIS))
    pts["sacrum"] = sacrum
    waist = add(sacrum, apply(lumbar, (0.0, 0.0, LUMBAR)))
    pts["waist"] = waist
    neck = add(waist, apply(thorax, (0.0, 0.0, THORACIC)))
    pts["neck"] = neck
    head = chain(thorax, rot_y(kf.neck.flexion), rot_z(kf.neck.rotation))
    head_base = add(neck, apply(head, (0.0, 0.0, NECK)))
    pts["head_base"] = head_base
    centre = add(head_base, apply(head, (0.012, 0.0, 0.06)))
    pts["head_centre"] = centre
    pts["head_top"] = add(centre, apply(head, (0.0, 0.0, HEAD_RADIUS)))
    face: dict[str, Vec] = {
        "nose": (0.068, 0.0, -0.008),
        "left_eye_inner": (0.057, 0.012, 0.014),
        "left_eye": (0.054, 0.024, 0.014),
        "left_eye_outer": (0.049, 0.036, 0.014),
        "left_ear": (0.0, 0.065, 0.0),
        "mouth_left": (0.056, 0.018, -0.034),
    }
    for name, offset in face.items():
        pts[name] = add(centre, apply(head, offset))
        if "left" in name:
            mirrored = (offset[0], -offset[1], offset[2])
            pts[name.replace("left", "right")] = add(centre, apply(head, mirrored))
    for side in SIDES:
        sign = 1.0 if side == "left" else -1.0
        pts[f"{side}_waist"] = add(waist, apply(lumbar, (0.0, sign * 0.05, 0.0)))
        pts[f"{side}_chest"] = add(neck, apply(thorax, (0.005, sign * 0.085, -0.03)))
        _arm(kf, side, sign, thorax, neck, pts)
        _leg(kf, side, sign, pelvis, pts)
    return pts


def _arm(kf: schema.Keyframe, side: str, sign: float, thorax: Mat, neck: Vec, pts: Points) -> None:
    shoulder = kf.joint("shoulder", side)
    elbow = kf.joint("elbow", side)
    joint = add(neck, apply(thorax, (0.0, sign * SHOULDER_HALF_WIDTH, -0.01)))
    upper = matmul(thorax, _ball(shoulder.flexion, shoulder.abduction, shoulder.rotation, side))
    elbow_at = add(joint, apply(upper, (0.0, 0.0, -UPPER_ARM)))
    fore = matmul(upper, rot_y(-elbow.flexion))
    wrist = add(elbow_at, apply(fore, (0.0, 0.0, -FOREARM)))
    pts[f"{side}_shoulder"] = joint
    pts[f"{side}_elbow"] = elbow_at
    pts[f"{side}_wrist"] = wrist
    pts[f"{side}_hand_tip"] = add(wrist, apply(fore, (0.0, 0.0, -HAND)))
    pts[f"{side}_palm"] = add(wrist, apply(fore, (0.0, 0.0, -0.55 * HAND)))
    # Palm faces the body at neutral; the thumb points forward.
    pts[f"{side}_index"] = add(wrist, apply(fore, (0.012, 0.0, -0.085)))
    pts[f"{side}_pinky"] = add(wrist, apply(fore, (-0.018, 0.0, -0.07)))
    pts[f"{side}_thumb"] = add(wrist, apply(fore, (0.03, -sign * 0.008, -0.04)))


def _leg(kf: schema.Keyframe, side: str, sign: float, pelvis: Mat, pts: Points) -> None:
    hip = kf.joint("hip", side)
    knee = kf.joint("knee", side)
    ankle = kf.joint("ankle", side)
    joint = apply(pelvis, (0.0, sign * HIP_HALF_WIDTH, 0.0))
    thigh = matmul(pelvis, _ball(hip.flexion, hip.abduction, hip.rotation, side))
    knee_at = add(joint, apply(thigh, (0.0, 0.0, -THIGH)))
    shank = matmul(thigh, rot_y(knee.flexion))
    ankle_at = add(knee_at, apply(shank, (0.0, 0.0, -SHANK)))
    foot = matmul(shank, rot_y(-ankle.flexion))
    pts[f"{side}_hip"] = joint
    pts[f"{side}_knee"] = knee_at
    pts[f"{side}_ankle"] = ankle_at
    pts[f"{side}_heel"] = add(ankle_at, apply(foot, HEEL))
    pts[f"{side}_foot_index"] = add(ankle_at, apply(foot, TOE))


# --- keyframe helpers -----------------------------------------------------------------

JOINTS = ("shoulder", "elbow", "hip", "knee", "ankle")


def _resolved(kf: schema.Keyframe) -> dict[str, Any]:
    """The keyframe as plain data with every joint given per side."""
    data: dict[str, Any] = {
        "pelvis": kf.pelvis.model_dump(),
        "spine": kf.spine.model_dump(),
        "neck": kf.neck.model_dump(),
    }
    for name in JOINTS:
        for side in SIDES:
            data[f"{side}_{name}"] = kf.joint(name, side).model_dump()
    return data


def mirror(keyframe: schema.Keyframe) -> schema.Keyframe:
    """The same pose with left and right swapped (a sided exercise done on the other side)."""
    data = _resolved(keyframe)
    for name in JOINTS:
        data[f"left_{name}"], data[f"right_{name}"] = data[f"right_{name}"], data[f"left_{name}"]
    for part, field in (
        ("pelvis", "roll"),
        ("pelvis", "twist"),
        ("spine", "side_bend"),
        ("spine", "rotation"),
        ("neck", "rotation"),
    ):
        data[part][field] = -data[part][field]
    return schema.Keyframe.model_validate(data)


def _lerp_tree(a: Any, b: Any, t: float) -> Any:
    if isinstance(a, dict):
        return {key: _lerp_tree(a[key], b[key], t) for key in a}
    return a + (b - a) * t


def interpolate(a: schema.Keyframe, b: schema.Keyframe, t: float) -> schema.Keyframe:
    """The pose a fraction ``t`` (0..1) of the way from ``a`` to ``b``, angle by angle."""
    return schema.Keyframe.model_validate(_lerp_tree(_resolved(a), _resolved(b), t))


# --- resting hands and feet on a surface ---------------------------------------------


def is_upright(points: Points) -> bool:
    """The pelvis stands within about 50 degrees of upright (sitting, standing, kneeling)."""
    pelvis = sub(points["sacrum"], points["mid_hip"])
    return pelvis[2] > 0.64 * norm(pelvis)


TRUNK = ("mid_hip", "left_hip", "right_hip", *TORSO, *TORSO_SPINE, "head_centre")


def _level_under(z: float, levels: Sequence[float]) -> float:
    return max((lv for lv in levels if lv <= z + 0.02), default=0.0)


def _flat(v: Vec) -> Vec:
    length = math.hypot(v[0], v[1])
    return (v[0] / length, v[1] / length, 0.0) if length > 1e-6 else (0.0, 0.0, 0.0)


HOVER = 0.05  # an arm hanging this close above a surface lies on it instead


def _rest_arms(pts: Points, levels: Sequence[float]) -> None:
    """An arm lying alongside a body on its back or front hangs at shoulder height, a little
    above the surface; lower its elbow and forearm onto the surface so it rests there."""
    hand = {  # the forearm's end and the hand, with the half thickness at each point
        "wrist": RADIUS["forearm"],
        "hand_tip": RADIUS["hand"],
        "palm": RADIUS["hand"],
        "index": 0.005,
        "pinky": 0.005,
        "thumb": 0.005,
    }
    for side in SIDES:
        elbow, wrist = pts[f"{side}_elbow"], pts[f"{side}_wrist"]
        level = _level_under(min(elbow[2], wrist[2]) - RADIUS["upper_arm"], levels)
        gap_elbow = elbow[2] - RADIUS["upper_arm"] - level
        gap_wrist = min(pts[f"{side}_{n}"][2] - r - level for n, r in hand.items())
        if not (0.0 < gap_elbow < HOVER and 0.0 < gap_wrist < HOVER):
            continue
        pts[f"{side}_elbow"] = (elbow[0], elbow[1], elbow[2] - gap_elbow)
        for name in hand:
            x, y, z = pts[f"{side}_{name}"]
            pts[f"{side}_{name}"] = (x, y, z - gap_wrist)


def _rest_hands(pts: Points, levels: Sequence[float]) -> None:
    radius = RADIUS["hand"]
    for side in SIDES:
        wrist, tip = pts[f"{side}_wrist"], pts[f"{side}_hand_tip"]
        level = _level_under(wrist[2] - RADIUS["forearm"], levels)
        if tip[2] - radius >= level - 0.003:
            continue
        along = _flat(sub(tip, wrist))
        if math.hypot(tip[0] - wrist[0], tip[1] - wrist[1]) < 0.3 * HAND:
            along = _flat(sub(pts[f"{side}_thumb"], wrist))  # forearm upright: fingers forward
        drop = min(HAND, max(0.0, wrist[2] - level - radius))
        reach = math.sqrt(HAND**2 - drop**2)
        new_tip = add(wrist, (along[0] * reach, along[1] * reach, -drop))
        pts[f"{side}_hand_tip"] = new_tip
        for name, t in (("index", 0.8), ("pinky", 0.65), ("thumb", 0.4), ("palm", 0.55)):
            pts[f"{side}_{name}"] = add(wrist, scale(sub(new_tip, wrist), t))


def _rest_feet(pts: Points, levels: Sequence[float]) -> None:
    for side in SIDES:
        knee, ankle, toe = pts[f"{side}_knee"], pts[f"{side}_ankle"], pts[f"{side}_foot_index"]
        shin = sub(ankle, knee)
        level = _level_under(ankle[2] - RADIUS["shank"], levels)
        lying = abs(shin[2]) < 0.35 * norm(shin) and ankle[2] - RADIUS["shank"] < level + 0.03
        foot = sub(toe, ankle)
        pointed = dot(foot, shin) > 0.5 * norm(foot) * norm(shin)
        if not (lying and pointed):
            continue
        along = _flat(shin)
        z = level + RADIUS["foot"]
        pts[f"{side}_foot_index"] = (ankle[0] + along[0] * 0.12, ankle[1] + along[1] * 0.12, z)
        pts[f"{side}_heel"] = (ankle[0] - along[0] * 0.01, ankle[1] - along[1] * 0.01, z + 0.035)
