"""The 3D skeleton: real geometry for the pose convention in schema.py's docstring."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstretch.library import scene, schema, settle
from backstretch.library import skeleton as sk
from backstretch.library.schema import Keyframe


def placed(**angles: object) -> dict[str, sk.Vec]:
    """The posed body lifted so its lowest skin touches the floor (height 0)."""
    raw = sk.landmarks(Keyframe.model_validate(angles))
    low = min(p[2] - settle.point_radius(n) for n, p in raw.items())
    return {n: (p[0], p[1], p[2] - low) for n, p in raw.items()}


def bottom(points: dict[str, sk.Vec]) -> float:
    return min(p[2] - settle.point_radius(n) for n, p in points.items())


def staged(surface: str, contacts: dict[str, list[str]], **angles: object) -> scene.Scene:
    """A still pose put down on its surface the way a figure is drawn."""
    return scene.stage(
        schema.Pose.model_validate(
            {
                "surface": surface,
                "view": "side",
                "start": angles,
                "end": angles,
                "staging": {"start": contacts, "end": contacts},
            }
        )
    )


def approx(value: float, expected: float, tolerance: float = 0.02) -> bool:
    return abs(value - expected) <= tolerance


def test_standing_is_one_body_height_tall_and_stands_on_the_floor() -> None:
    p = placed()
    assert approx(p["head_top"][2], 1.0, 0.01)
    assert approx(bottom(p), 0.0, 1e-9)
    assert approx(p["left_hip"][2], 0.53)  # Winter: hip joint at 0.530 H
    assert approx(p["left_knee"][2], 0.285)
    assert approx(p["left_shoulder"][2], 0.818)
    assert approx(p["left_shoulder"][1] - p["right_shoulder"][1], 0.22, 1e-6)
    assert approx(p["left_hip"][1] - p["right_hip"][1], 0.10, 1e-6)
    assert p["left_hip"][1] > 0 > p["right_hip"][1]  # y is the body's left
    assert p["nose"][0] > p["head_centre"][0]  # x is forward
    assert p["left_heel"][0] < p["left_ankle"][0] < p["left_foot_index"][0]


def test_all_33_blazepose_landmarks_are_there() -> None:
    names = {
        "nose",
        "mouth_left",
        "mouth_right",
        *(f"{s}_{part}" for s in sk.SIDES for part in ("eye_inner", "eye", "eye_outer", "ear")),
        *(
            f"{s}_{part}"
            for s in sk.SIDES
            for part in (
                "shoulder",
                "elbow",
                "wrist",
                "pinky",
                "index",
                "thumb",
                "hip",
                "knee",
                "ankle",
                "heel",
                "foot_index",
            )
        ),
    }
    assert len(names) == 33
    assert names <= set(sk.landmarks(Keyframe()))


def test_lying_on_the_back_is_flat_at_the_surface_height() -> None:
    back = ["head_centre", "neck", "mid_hip", "left_heel", "right_heel"]
    for surface, top in (("mat", 0.01), ("bed", 0.28)):
        p = staged(surface, {surface: back}, pelvis={"pitch": -90}).frames[0]
        assert approx(bottom(p), top, 0.012)
        for name in ("mid_hip", "waist", "neck", "left_knee", "left_ankle", "left_shoulder"):
            assert approx(p[name][2], top + sk.RADIUS["torso"], 0.04), name
        assert p["head_centre"][0] < p["mid_hip"][0] < p["left_ankle"][0]  # head at -x
        assert p["nose"][2] > p["head_centre"][2] + 0.05  # face up
        assert max(v[2] for v in p.values()) < top + 0.2


def test_lying_face_down_and_on_the_left_side() -> None:
    prone = placed(pelvis={"pitch": 90})
    assert prone["nose"][2] < prone["head_centre"][2] - 0.05
    assert prone["head_centre"][0] > prone["mid_hip"][0]  # the top of the pelvis tipped forward
    side = placed(pelvis={"roll": 90})
    assert side["left_shoulder"][2] < side["right_shoulder"][2] - 0.2
    assert side["head_centre"][1] > 0.35  # tipped toward the body's left


def test_sitting_on_a_chair_puts_knees_in_front_of_the_hips_at_hip_height() -> None:
    feet = ["left_heel", "left_foot_index", "right_heel", "right_foot_index"]
    sitting = staged(
        "chair",
        {"chair-seat": ["mid_hip"], "floor": feet},
        hip={"flexion": 90},
        knee={"flexion": 90},
    )
    p = sitting.frames[0]
    assert sitting.seated
    for side in sk.SIDES:
        assert approx(p[f"{side}_knee"][0] - p[f"{side}_hip"][0], sk.THIGH, 0.02)
        assert approx(p[f"{side}_knee"][2], p[f"{side}_hip"][2], 0.03)
        assert approx(p[f"{side}_ankle"][0], p[f"{side}_knee"][0], 0.03)  # shin upright
    seat = sk.SURFACE_TOP["chair"]
    assert approx(p["mid_hip"][2] - sk.RADIUS["torso"], seat, 0.015)  # on the seat
    assert approx(bottom(p), 0.0, 0.015)  # feet on the floor


def test_standing_with_a_chair_stands_on_the_floor() -> None:
    feet = ["left_heel", "left_foot_index", "right_heel", "right_foot_index"]
    standing = staged("chair", {"floor": feet})
    assert not standing.seated
    assert approx(bottom(standing.frames[0]), 0.0, 0.012)


def test_lying_hip_flexion_90_points_the_straight_leg_at_the_ceiling() -> None:
    p = placed(pelvis={"pitch": -90}, left_hip={"flexion": 90})
    hip, ankle = p["left_hip"], p["left_ankle"]
    assert approx(ankle[0], hip[0], 1e-6)
    assert approx(ankle[2] - hip[2], sk.THIGH + sk.SHANK, 1e-6)
    assert p["right_ankle"][2] < hip[2] + 0.01  # the other leg stays down


def test_pelvis_twist_on_the_back_lets_bent_knees_fall_to_the_left() -> None:
    crook = {"pelvis": {"pitch": -90}, "hip": {"flexion": 45}, "knee": {"flexion": 90}}
    upright = placed(**crook)
    # the chest counter-rotates so the shoulders stay on the mat, as in the rotation stretch
    left = placed(**{**crook, "pelvis": {"pitch": -90, "twist": 45}, "spine": {"rotation": -45}})
    right = placed(**{**crook, "pelvis": {"pitch": -90, "twist": -45}, "spine": {"rotation": 45}})
    for side in sk.SIDES:
        knee = f"{side}_knee"
        assert left[knee][1] > upright[knee][1] + 0.1
        assert right[knee][1] < upright[knee][1] - 0.1
        for twisted in (left, right):  # they fall toward the mat, not up
            assert twisted[knee][2] - twisted["mid_hip"][2] < upright[knee][2] - 0.03
    assert left["left_shoulder"][2] == pytest.approx(upright["left_shoulder"][2], abs=0.03)


def test_spine_flexion_side_bend_and_rotation() -> None:
    bend = placed(spine={"flexion": 90})
    assert bend["neck"][0] > 0.2 and bend["nose"][2] < bend["head_centre"][2]
    side = placed(spine={"side_bend": 30})
    assert side["neck"][1] > 0.05
    turn = placed(spine={"rotation": 60})
    assert turn["left_shoulder"][0] < -0.05 < 0.05 < turn["right_shoulder"][0]
    assert approx(turn["left_hip"][0], 0.0, 1e-6)  # the pelvis stays


def test_limb_joints_move_the_way_the_schema_says() -> None:
    raised = placed(shoulder={"flexion": 180})
    assert raised["left_wrist"][2] > raised["head_top"][2]
    level = placed(shoulder={"flexion": 90})
    assert approx(level["left_wrist"][2], level["left_shoulder"][2], 1e-6)
    assert level["left_wrist"][0] > 0.3
    out = placed(shoulder={"abduction": 90})
    assert out["left_wrist"][1] > 0.4 and out["right_wrist"][1] < -0.4
    kick = placed(left_hip={"abduction": 30})
    assert kick["left_ankle"][1] > 0.2
    knee = placed(left_hip={"flexion": 90}, left_knee={"flexion": 90})
    assert approx(knee["left_ankle"][0], knee["left_knee"][0], 1e-6)
    elbow = placed(elbow={"flexion": 90})
    assert elbow["left_wrist"][0] > 0.1  # forearm forward
    toes_up = sk.landmarks(Keyframe.model_validate({"ankle": {"flexion": 30}}))
    assert toes_up["left_foot_index"][2] > toes_up["left_ankle"][2] - 0.01
    neck = placed(neck={"rotation": 60})
    assert neck["nose"][1] > 0.04  # face turns left
    # external rotation with the knee bent swings the foot inward (across the body)
    outward = placed(left_hip={"flexion": 90, "rotation": 45}, left_knee={"flexion": 90})
    assert outward["left_ankle"][1] < outward["left_knee"][1] - 0.1


def test_mirror_swaps_sides() -> None:
    kf = Keyframe.model_validate(
        {
            "pelvis": {"twist": 20, "roll": 5},
            "spine": {"rotation": 30, "side_bend": 10},
            "neck": {"rotation": 15},
            "hip": {"flexion": 30},
            "left_hip": {"flexion": 90, "abduction": 10},
            "left_knee": {"flexion": 40},
        }
    )
    mirrored = sk.mirror(kf)
    assert mirrored.joint("hip", "right").flexion == 90
    assert mirrored.joint("hip", "left").flexion == 30
    assert mirrored.pelvis.twist == -20 and mirrored.spine.rotation == -30
    original, image = sk.landmarks(kf), sk.landmarks(mirrored)
    for name, (x, y, z) in original.items():
        other = name.replace("left", "@").replace("right", "left").replace("@", "right")
        mx, my, mz = image[other]
        assert math.isclose(mx, x, abs_tol=1e-9)
        assert math.isclose(my, -y, abs_tol=1e-9)
        assert math.isclose(mz, z, abs_tol=1e-9)
    twice = sk.landmarks(sk.mirror(mirrored))
    for name, point in original.items():
        assert twice[name] == pytest.approx(point)


def test_interpolate_goes_from_one_keyframe_to_the_other() -> None:
    a = Keyframe()
    b = Keyframe.model_validate({"pelvis": {"pitch": -90}, "left_knee": {"flexion": 100}})
    assert sk.interpolate(a, b, 0.5).pelvis.pitch == -45
    assert sk.interpolate(a, b, 0.5).joint("knee", "left").flexion == 50
    assert sk.interpolate(a, b, 0.5).joint("knee", "right").flexion == 0
    end, expected = sk.landmarks(sk.interpolate(a, b, 1.0)), sk.landmarks(b)
    for name, point in expected.items():
        assert end[name] == pytest.approx(point)


def test_hands_lie_flat_and_knees_do_not_skate() -> None:
    four_point = {
        "pelvis": {"pitch": 80},
        "hip": {"flexion": 80},
        "knee": {"flexion": 90},
        "shoulder": {"flexion": 100},
        "ankle": {"flexion": -60},
    }
    back = {
        **four_point,
        "pelvis": {"pitch": 70},
        "hip": {"flexion": 110},
        "knee": {"flexion": 130},
    }
    contacts = {"mat": ["left_knee", "right_knee"]}
    rocking = scene.stage(
        schema.Pose.model_validate(
            {
                "surface": "mat",
                "view": "side",
                "start": four_point,
                "end": back,
                "staging": {"start": contacts, "end": contacts},
            }
        )
    )
    first, last = rocking.frames[0], rocking.frames[-1]
    for side in sk.SIDES:
        assert first[f"{side}_hand_tip"][2] - sk.RADIUS["hand"] >= 0.01 - 0.012
        assert approx(first[f"{side}_foot_index"][2], 0.01 + sk.RADIUS["foot"], 0.012)  # flat
    assert approx(first["left_knee"][0], last["left_knee"][0], 0.03)


angle = st.floats(-180, 180, allow_nan=False)
hinge = st.floats(0, 160, allow_nan=False)
ball = st.fixed_dictionaries({"flexion": angle, "abduction": angle, "rotation": angle})
keyframes = st.fixed_dictionaries(
    {
        "pelvis": st.fixed_dictionaries({"pitch": angle, "roll": angle, "twist": angle}),
        "spine": st.fixed_dictionaries({"flexion": angle, "side_bend": angle, "rotation": angle}),
        "neck": st.fixed_dictionaries(
            {"flexion": st.floats(-70, 80), "rotation": st.floats(-80, 80)}
        ),
        "left_shoulder": ball,
        "right_shoulder": ball,
        "left_hip": ball,
        "right_hip": ball,
        "left_elbow": st.fixed_dictionaries({"flexion": hinge}),
        "right_knee": st.fixed_dictionaries({"flexion": hinge}),
        "knee": st.fixed_dictionaries({"flexion": hinge}),
        "ankle": st.fixed_dictionaries({"flexion": st.floats(-60, 40)}),
    }
).map(Keyframe.model_validate)

LENGTHS = {
    ("hip", "knee"): sk.THIGH,
    ("knee", "ankle"): sk.SHANK,
    ("shoulder", "elbow"): sk.UPPER_ARM,
    ("elbow", "wrist"): sk.FOREARM,
    ("wrist", "hand_tip"): sk.HAND,
    ("ankle", "foot_index"): math.hypot(*sk.TOE),
    ("ankle", "heel"): math.hypot(*sk.HEEL),
}


@settings(max_examples=150, deadline=None)
@given(keyframes)
def test_segment_lengths_are_preserved_under_any_angles(kf: Keyframe) -> None:
    raw = sk.landmarks(kf)
    for side in sk.SIDES:
        for (a, b), length in LENGTHS.items():
            assert math.isclose(sk.distance(raw[f"{side}_{a}"], raw[f"{side}_{b}"]), length)
        assert math.isclose(sk.distance(raw[f"{side}_hip"], raw["mid_hip"]), sk.HIP_HALF_WIDTH)
    assert math.isclose(sk.distance(raw["left_shoulder"], raw["right_shoulder"]), 0.22)
    assert math.isclose(sk.distance(raw["neck"], raw["waist"]), sk.THORACIC)
    assert math.isclose(sk.distance(raw["waist"], raw["sacrum"]), sk.LUMBAR)
