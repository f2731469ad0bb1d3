"""Poses a patient can copy: the shape each exercise is about shows, measured in 3D.

The contact and travel rules for every figure are in ``test_staging.py``. These tests pin the
shape that makes a movement readable (issue 12's review): a back that rounds in the middle, a
bridge in a straight line, an arched back that flattens, hands drawn on the chest and tummy,
bent knees that show, a back bend leaning back over hands on the low back (not a bow), a
figure-four ankle resting on the other knee. Lengths are fractions of body height; the
figure is drawn exactly as staged here.
"""

from __future__ import annotations

import itertools
import math

import pytest

from backstretch.library import figures, scene, schema, settle
from backstretch.library import skeleton as sk

LIBRARY = schema.load_library()
LYING_ON_THE_BACK = [schema.Position.FLOOR, schema.Position.BED]


def staged(slug: str, position: schema.Position, side: str = "left") -> scene.Scene:
    return scene.stage(LIBRARY[slug].positions[position].pose, side)


def camera(slug: str, position: schema.Position, side: str = "left") -> figures.Camera:
    return figures.camera(LIBRARY[slug].positions[position].pose.view, side)


def middle(frame: sk.Points, name: str) -> sk.Vec:
    a, b = frame[f"left_{name}"], frame[f"right_{name}"]
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2)


def angle_at(a: sk.Vec, b: sk.Vec, c: sk.Vec) -> float:
    """The angle a-b-c in degrees (180 is a straight line)."""
    u, v = sk.sub(a, b), sk.sub(c, b)
    cosine = sk.dot(u, v) / (sk.norm(u) * sk.norm(v))
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def surface_level(slug: str, position: schema.Position) -> float:
    return settle.base_level(LIBRARY[slug].positions[position].pose.surface)


def back_skin(frame: sk.Points, name: str, level: float) -> float:
    """How far the skin of the back at a spine point is above the surface."""
    return frame[name][2] - sk.RADIUS["torso"] - level


@pytest.mark.parametrize("position", LYING_ON_THE_BACK)
def test_breathing_lying_shows_a_hand_on_the_chest_and_one_on_the_tummy(position) -> None:
    staging = staged("relaxed-breathing", position)
    start = staging.frames[0]
    cam = camera("relaxed-breathing", position)
    hip, neck = start["mid_hip"], start["neck"]
    along = sk.sub(neck, hip)

    def height_on_trunk(side: str) -> float:  # 0 at the hips, 1 at the base of the neck
        return sk.dot(sk.sub(start[f"{side}_palm"], hip), along) / sk.dot(along, along)

    places = sorted(height_on_trunk(side) for side in sk.SIDES)
    assert 0.2 <= places[0] <= 0.6, f"the tummy hand is at {places[0]:.2f} of the trunk"
    assert 0.65 <= places[1] <= 1.0, f"the chest hand is at {places[1]:.2f} of the trunk"
    for side in sk.SIDES:
        assert figures.hand_on_trunk(staging.frames, cam, side), f"{side} hand is not on the trunk"
    # Both forearms are painted after (over) the trunk they rest on.
    groups = figures.body_shapes(staging.frames, cam)

    def has(group: list[figures.Shape], width: float) -> bool:
        return any(abs(shape.width - width * figures.UNITS) < 1e-6 for shape in group)

    trunk = next(i for i, group in enumerate(groups) if has(group, 2 * sk.RADIUS["torso"]))
    forearms = [i for i, group in enumerate(groups) if has(group, 2 * sk.RADIUS["forearm"])]
    assert len(forearms) == 2 and min(forearms) > trunk


def test_a_hand_at_the_side_is_not_painted_over_the_trunk() -> None:
    staging = staged("relaxed-breathing", schema.Position.FLOOR)
    cam = camera("relaxed-breathing", schema.Position.FLOOR)
    end_only = [staging.frames[-1], staging.frames[-1]]  # arms resting by the sides
    assert not any(figures.hand_on_trunk(end_only, cam, side) for side in sk.SIDES)


@pytest.mark.parametrize("position", [schema.Position.FLOOR, schema.Position.BED])
def test_cat_rounds_the_whole_back_and_camel_hollows_it(position) -> None:
    staging = staged("cat-camel", position)
    start, end = staging.frames[0], staging.frames[-1]
    # Cat: the middle of the back is its highest point, clearly above both ends.
    z = {name: end[name][2] for name in ("mid_hip", "sacrum", "waist", "neck")}
    assert max(z, key=z.get) == "waist", z
    assert z["waist"] - z["neck"] >= 0.02 and z["waist"] - z["mid_hip"] >= 0.06, z

    # Camel: the middle of the back sags below the line from the sacrum to the neck.
    def sag(frame: sk.Points) -> float:
        sacrum, waist, neck = frame["sacrum"], frame["waist"], frame["neck"]
        t = (waist[0] - sacrum[0]) / (neck[0] - sacrum[0])
        return sacrum[2] + t * (neck[2] - sacrum[2]) - waist[2]

    assert sag(start) >= 0.01
    assert sag(end) <= -0.03
    # Hands stay under the shoulders in both shapes, as the words say.
    for frame in (start, end):
        for side in sk.SIDES:
            assert abs(frame[f"{side}_wrist"][0] - frame[f"{side}_shoulder"][0]) <= 0.05


def test_side_plank_from_the_knees_shows_the_bent_knees_and_the_lift() -> None:
    slug, position = "side-plank-from-knees", schema.Position.FLOOR
    staging = staged(slug, position)
    cam = camera(slug, position)
    start, end = staging.frames[0], staging.frames[-1]
    for frame in (start, end):
        for side in sk.SIDES:
            knee, ankle = frame[f"{side}_knee"], frame[f"{side}_ankle"]
            on_screen = math.dist(cam.project(knee), cam.project(ankle)) / figures.UNITS
            assert on_screen >= 0.45 * sk.distance(knee, ankle), f"{side} shin hidden"
        # The top hand rests on the top hip, as the words say.
        reach = sk.RADIUS["torso"] + sk.RADIUS["hand"] + 0.04
        assert sk.distance(frame["right_palm"], frame["right_hip"]) <= reach
        # The elbow right under the shoulder, as the caution says.
        shoulder, elbow = frame["left_shoulder"], frame["left_elbow"]
        off = math.hypot(elbow[0] - shoulder[0], elbow[1] - shoulder[1])
        assert off <= 0.03, f"the elbow is {off:.3f} from under the shoulder"
    # Off the mat into the line from the propped shoulder to the knees.
    assert end["mid_hip"][2] - start["mid_hip"][2] >= 0.06
    line = angle_at(middle(end, "shoulder"), end["mid_hip"], middle(end, "knee"))
    assert line >= 165, f"shoulders-hips-knees bend {180 - line:.0f} degrees at the end"


@pytest.mark.parametrize("position", LYING_ON_THE_BACK)
def test_bridge_lifts_the_hips_into_a_line_from_shoulders_to_knees(position) -> None:
    staging = staged("glute-bridge", position)
    start, end = staging.frames[0], staging.frames[-1]
    shoulders, hips, knees = middle(end, "shoulder"), end["mid_hip"], middle(end, "knee")
    assert end["mid_hip"][2] - start["mid_hip"][2] >= 0.11  # about 19 cm for 1.70 m
    assert angle_at(shoulders, hips, knees) >= 172
    # As high as upright shins allow: the hips well up the rise from shoulders to knees.
    assert (hips[2] - shoulders[2]) / (knees[2] - shoulders[2]) >= 0.5
    for side in sk.SIDES:
        shin = sk.sub(end[f"{side}_knee"], end[f"{side}_ankle"])
        assert math.degrees(math.acos(shin[2] / sk.norm(shin))) <= 10, "shins upright"


@pytest.mark.parametrize("position", LYING_ON_THE_BACK)
def test_pelvic_tilt_goes_from_a_visible_arch_to_a_flat_back(position) -> None:
    staging = staged("pelvic-tilt", position)
    level = surface_level("pelvic-tilt", position)
    start, end = staging.frames[0], staging.frames[-1]
    assert back_skin(start, "waist", level) >= 0.035  # about 6 cm: a hand fits under
    assert back_skin(end, "waist", level) <= 0.012
    assert back_skin(end, "sacrum", level) <= 0.012  # the pelvis stays down, tail not lifted
    # No arm lies low beside the low back, where it would hide the arch in the side view.
    sacrum_x, waist_x = start["sacrum"][0], start["waist"][0]
    low, high = min(sacrum_x, waist_x), max(sacrum_x, waist_x)
    bottom = start["waist"][2] - sk.RADIUS["torso"]
    for side in sk.SIDES:
        chain = [start[f"{side}_{n}"] for n in ("shoulder", "elbow", "wrist", "palm")]
        for a, b in itertools.pairwise(chain):
            for i in range(11):
                p = sk.add(a, sk.scale(sk.sub(b, a), i / 10))
                if low <= p[0] <= high:
                    assert p[2] - sk.RADIUS["forearm"] >= bottom, f"{side} arm hides the arch"


@pytest.mark.parametrize("position", LYING_ON_THE_BACK)
def test_clamshell_lifts_the_top_knee_with_the_feet_stacked(position) -> None:
    staging = staged("clamshell", position)
    start, end = staging.frames[0], staging.frames[-1]
    assert end["left_knee"][2] - start["left_knee"][2] >= 0.1
    assert sk.distance(end["left_ankle"], start["left_ankle"]) <= 0.03
    assert sk.distance(end["left_ankle"], end["right_ankle"]) <= 2 * sk.RADIUS["shank"] + 0.03


@pytest.mark.parametrize(
    ("slug", "position", "sides"),
    [
        ("double-knee-to-chest", schema.Position.FLOOR, sk.SIDES),
        ("double-knee-to-chest", schema.Position.BED, sk.SIDES),
        ("single-knee-to-chest", schema.Position.FLOOR, ("left",)),
        ("single-knee-to-chest", schema.Position.BED, ("left",)),
        ("hip-flexor-stretch", schema.Position.BED, ("right",)),
        ("figure-four-stretch", schema.Position.FLOOR, ("right",)),
        ("figure-four-stretch", schema.Position.BED, ("right",)),
    ],
)
def test_a_hugged_leg_lets_its_foot_relax(slug, position, sides) -> None:
    end = staged(slug, position).frames[-1]
    for side in sides:
        ankle, toe = end[f"{side}_ankle"], end[f"{side}_foot_index"]
        knee = end[f"{side}_knee"]
        shin, foot = sk.sub(ankle, knee), sk.sub(toe, ankle)
        # A relaxed foot carries on from the shin; a foot at right angles reads as a raised leg.
        assert sk.dot(shin, foot) / (sk.norm(shin) * sk.norm(foot)) >= 0.35, side


@pytest.mark.parametrize("position", LYING_ON_THE_BACK)
def test_the_seed_hamstring_stretch_shows_the_bent_leg_in_front(position) -> None:
    staging = staged("hamstring-stretch", position)
    cam = camera("hamstring-stretch", position)
    side_view = figures.camera(schema.View.SIDE)
    for frame in (staging.frames[0], staging.frames[-1]):
        bent, straight = frame["right_knee"], frame["left_knee"]
        assert cam.depth(bent) > cam.depth(straight) + 0.1  # drawn in front, not hidden
        assert side_view.depth(bent) < side_view.depth(straight)  # the side view hid it


def gaze(frame: sk.Points) -> float:
    """Where the face points, in degrees above the horizontal (negative: looking down)."""
    look = sk.sub(frame["nose"], frame["head_centre"])
    return math.degrees(math.atan2(look[2], math.hypot(look[0], look[1])))


def test_standing_back_bend_leans_back_over_hands_on_the_low_back() -> None:
    """Seen from the side it must not read as a bow, even as a thumbnail: the body arcs back from
    the feet (the hips the front-most point of the body, the shoulders and head behind the feet),
    not folded at the hips; the face looks ahead; the hands are on the low back with the elbows
    pointing back."""
    slug, position = "standing-back-extension", schema.Position.STANDING
    staging = staged(slug, position)
    start, end = staging.frames[0], staging.frames[-1]
    feet = (end["left_ankle"][0] + end["right_ankle"][0]) / 2
    assert end["mid_hip"][0] - feet >= 0.06, "the hips push forward, the legs slant back"
    line = {"knees": middle(end, "knee"), "hips": end["mid_hip"]}
    line |= {"waist": end["waist"], "neck": end["neck"]}
    assert max(line, key=lambda n: line[n][0]) == "hips", "the front of the body arcs forward"
    assert end["neck"][0] < feet, "the shoulders lean back past the feet"
    assert end["mid_hip"][0] - end["neck"][0] >= 0.1, "the trunk leans back"
    assert end["mid_hip"][0] - end["head_centre"][0] >= 0.1, "the head goes back with it"
    assert end["nose"][0] > end["head_centre"][0] + 0.03, "the face looks ahead"
    assert -10 <= gaze(end) <= 25, f"the face points {gaze(end):.0f} degrees up, not ahead"
    for frame in (start, end):
        hip, waist = frame["sacrum"], frame["waist"]
        axis = sk.sub(waist, hip)
        back = (-axis[2], 0.0, axis[0])  # the trunk's backward direction in the side plane
        back = sk.scale(back, 1 / sk.norm(back))
        if back[0] > 0:
            back = sk.scale(back, -1)
        for side in sk.SIDES:
            behind = sk.dot(sk.sub(frame[f"{side}_palm"], hip), back)
            assert behind >= sk.RADIUS["torso"], f"{side} hand is not on the low back"
            height = sk.dot(sk.sub(frame[f"{side}_palm"], frame["mid_hip"]), axis) / sk.dot(
                axis, axis
            )
            assert -0.5 <= height <= 2.0, f"{side} hand is not at the low back"
            elbow = frame[f"{side}_shoulder"][0] - frame[f"{side}_elbow"][0]
            assert elbow >= 0.08, f"{side} elbow is {elbow:.3f} behind the shoulder, not back"


def test_figure_four_in_a_chair_leans_forward_from_the_hips_with_a_straight_back() -> None:
    """Sitting tall with one ankle on the other knee, then leaning forward a little from the
    hips, back straight and face ahead, both hands resting on the crossed leg; the crossed leg
    is drawn in front, lying across the other knee."""
    slug, position = "figure-four-stretch", schema.Position.CHAIR
    staging = staged(slug, position)
    cam = camera(slug, position)
    start, end = staging.frames[0], staging.frames[-1]

    def lean(frame: sk.Points) -> float:  # the trunk's forward tilt from upright, in degrees
        trunk = sk.sub(frame["neck"], frame["mid_hip"])
        return math.degrees(math.atan2(trunk[0], trunk[2]))

    assert abs(lean(start)) <= 8, f"sitting tall, the trunk tilts {lean(start):.0f} degrees"
    assert 15 <= lean(end) <= 35, f"the lean from the hips is {lean(end):.0f} degrees"
    for frame in (start, end):
        assert angle_at(frame["sacrum"], frame["waist"], frame["neck"]) >= 172, "a straight back"
        assert gaze(frame) >= -25, f"the head hangs: the face points {gaze(frame):.0f} degrees"
        knee, ankle = frame["left_knee"], frame["left_ankle"]
        shin = sk.scale(sk.add(knee, ankle), 0.5)
        assert cam.depth(shin) > cam.depth(frame["right_knee"]) + 0.03, "crossed leg in front"
        on_screen = math.dist(cam.project(knee), cam.project(ankle)) / figures.UNITS
        assert on_screen >= 0.7 * sk.distance(knee, ankle), "the crossed shin shows its length"
    reach = sk.RADIUS["thigh"] + sk.RADIUS["hand"] + 0.03
    for side in sk.SIDES:
        palm = end[f"{side}_palm"]
        on_leg = min(
            sk.distance(palm, figures._nearest_on(palm, end[a], end[b]))
            for a, b in (("left_hip", "left_knee"), ("left_knee", "left_ankle"))
        )
        assert on_leg <= reach, f"the {side} hand is {on_leg:.3f} from the crossed leg"


@pytest.mark.parametrize("position", [*LYING_ON_THE_BACK, schema.Position.CHAIR])
def test_figure_four_rests_the_ankle_on_the_other_knee_and_holds_on(position) -> None:
    staging = staged("figure-four-stretch", position)
    touching = sk.RADIUS["shank"] + sk.RADIUS["thigh"] + 0.012
    for frame in (staging.frames[0], staging.frames[-1]):
        assert sk.distance(frame["left_ankle"], frame["right_knee"]) <= touching
    end = staging.frames[-1]
    reach = sk.RADIUS["thigh"] + sk.RADIUS["hand"] + 0.03
    if position in LYING_ON_THE_BACK:  # both hands hold the pulled thigh
        for side in sk.SIDES:
            on_thigh = figures._nearest_on(end[f"{side}_palm"], end["right_hip"], end["right_knee"])
            assert sk.distance(end[f"{side}_palm"], on_thigh) <= reach, f"{side} hand"
    else:  # a hand presses the crossed knee
        assert sk.distance(end["left_palm"], end["left_knee"]) <= reach
