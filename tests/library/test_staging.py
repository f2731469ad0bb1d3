"""Figures keep contact with what they rest on, and each view shows the movement.

Every exercise x position is staged in 3D (the body settled on its surfaces, the furniture and
props placed round it) exactly as the SVG figure draws it. A named contact whose skin is more
than a small tolerance from its surface, or any body point that goes into a surface, fails with
the exercise, position, frame and body point.
"""

from __future__ import annotations

import math

import pytest

from backstretch.library import figures, scene, schema, settle
from backstretch.library.staging import ContactSurface

LIBRARY = schema.load_library()
CASES = [
    pytest.param(slug, position, side, id=f"{slug}-{position.value}-{side}")
    for slug, exercise in sorted(LIBRARY.items())
    for position in exercise.positions
    for side in ("left", "right")
]
TOLERANCE = 0.012  # body heights: about 2 cm on a person 1.70 m tall
# The joints whose travel a patient follows.
JOINTS = ["head_centre"] + [
    f"{s}_{n}"
    for s in ("left", "right")
    for n in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
]


def stage(slug: str, position: schema.Position, side: str = "left") -> scene.Scene:
    return scene.stage(LIBRARY[slug].positions[position].pose, side)


def gap(staged: scene.Scene, frame: dict, name: str, surface: ContactSurface) -> float:
    boxes = [s.box for s in staged.solids if s.kind in scene.SURFACE_SOLIDS[surface]]
    assert boxes, f"no {surface.value} is drawn"
    radius = settle.point_radius(name)
    return min(scene.distance_to_box(frame[name], box) for box in boxes) - radius


@pytest.mark.parametrize(("slug", "position", "side"), CASES)
def test_every_named_contact_touches_its_surface(slug, position, side) -> None:
    staged = stage(slug, position, side)
    problems = []
    for label, frame, contacts in (
        ("start", staged.frames[0], staged.start),
        ("end", staged.frames[-1], staged.end),
    ):
        for surface, names in contacts.items():
            for name in names:
                distance = gap(staged, frame, name, surface)
                if abs(distance) > TOLERANCE:
                    where = "above" if distance > 0 else "into"
                    problems.append(
                        f"{slug} {position.value} ({side}) {label} frame: {name} is "
                        f"{abs(distance):.3f} {where} the {surface.value}"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("slug", "position", "side"), CASES)
def test_no_body_point_goes_into_a_surface(slug, position, side) -> None:
    staged = stage(slug, position, side)
    problems = []
    for index, frame in enumerate(staged.frames):
        for name, point in frame.items():
            radius = settle.point_radius(name)
            for solid in staged.solids:
                if solid.kind not in scene.SOLID:
                    continue
                depth = scene.distance_to_box(point, solid.box) - radius
                if depth < -TOLERANCE:
                    problems.append(
                        f"{slug} {position.value} ({side}) frame {index}: {name} is "
                        f"{-depth:.3f} into the {solid.kind}"
                    )
    assert not problems, "\n".join(problems[:20])


def screen_travel(staged: scene.Scene, view: schema.View | str) -> list[tuple[str, float, float]]:
    """(joint, 3D travel in figure units, on-screen travel) for the joints that move most."""
    cam = figures.camera(view)
    start, end = staged.frames[0], staged.frames[-1]
    travel = {n: math.dist(start[n], end[n]) * figures.UNITS for n in JOINTS}
    most = max(travel.values())
    return [
        (n, travel[n], math.dist(cam.project(start[n]), cam.project(end[n])))
        for n in JOINTS
        if travel[n] >= 0.6 * most
    ]


def shows_the_movement(staged: scene.Scene, view: schema.View | str) -> list[str]:
    faults = []
    moves = screen_travel(staged, view)
    if max(on_screen for _, _, on_screen in moves) < 1.8:
        faults.append("the movement is under 1.8 units on screen (the figure is 100 tall)")
    for name, real, on_screen in moves:
        if on_screen < 0.5 * real:
            faults.append(f"{name} moves {real:.1f} but only {on_screen:.1f} on screen")
    return faults


@pytest.mark.parametrize(
    ("slug", "position"),
    [(slug, position) for slug, e in sorted(LIBRARY.items()) for position in e.positions],
)
def test_the_view_shows_the_moving_joints_travel(slug, position) -> None:
    pose = LIBRARY[slug].positions[position].pose
    faults = shows_the_movement(stage(slug, position), pose.view)
    assert not faults, f"{slug} {position.value} in the {pose.view.value} view: {faults}"


@pytest.mark.parametrize(
    ("slug", "position"),
    [("rotation-stretch", schema.Position.FLOOR), ("seated-trunk-rotation", schema.Position.CHAIR)],
)
def test_a_side_view_would_hide_a_twist(slug, position) -> None:
    assert shows_the_movement(stage(slug, position), schema.View.SIDE)


def test_the_seed_hip_flexor_stretch_kneels_on_the_mat_and_the_bed_leg_hangs_clear() -> None:
    kneeling = stage("hip-flexor-stretch", schema.Position.FLOOR)
    end = kneeling.frames[-1]
    for name in ("left_knee", "right_heel", "right_foot_index"):
        assert abs(gap(kneeling, end, name, ContactSurface.MAT)) <= TOLERANCE
    on_bed = stage("hip-flexor-stretch", schema.Position.BED)
    mattress = next(s.box for s in on_bed.solids if s.kind == "mattress")
    for frame in on_bed.frames:
        for name in ("left_knee", "left_ankle"):
            assert scene.distance_to_box(frame[name], mattress) >= -TOLERANCE
    assert abs(gap(on_bed, on_bed.frames[-1], "left_foot_index", ContactSurface.FLOOR)) <= TOLERANCE


def test_a_body_is_put_down_on_its_surface_whatever_the_angles_say() -> None:
    # A kneeling pose whose angles alone would leave the front foot in the air.
    pose = schema.Pose.model_validate(
        {
            "surface": "mat",
            "view": "side",
            "start": {
                "left_knee": {"flexion": 90},
                "right_hip": {"flexion": 70},
                "right_knee": {"flexion": 70},
            },
            "end": {
                "left_knee": {"flexion": 90},
                "right_hip": {"flexion": 70},
                "right_knee": {"flexion": 70},
            },
            "staging": {
                "start": {"mat": ["left_knee", "right_heel", "right_foot_index"]},
                "end": {"mat": ["left_knee", "right_heel", "right_foot_index"]},
            },
        }
    )
    staged = scene.stage(pose)
    for name in ("left_knee", "right_heel", "right_foot_index"):
        assert abs(gap(staged, staged.frames[0], name, ContactSurface.MAT)) <= TOLERANCE
    unsettled = settle.sk.landmarks(pose.start)  # the angles alone: the points do not line up
    skins = [unsettled[n][2] - settle.point_radius(n) for n in ("right_heel", "left_knee")]
    assert max(skins) - min(skins) > 0.03


@pytest.mark.parametrize(
    ("slug", "position", "kind"),
    [
        ("supine-hamstring-stretch", schema.Position.FLOOR, "towel"),
        ("clamshell", schema.Position.CHAIR, "band"),
    ],
)
def test_straps_are_drawn_from_the_hands_or_round_the_knees(slug, position, kind) -> None:
    staged = stage(slug, position)
    (strap,) = [s for s in staged.straps if s.kind == kind]
    end = staged.frames[-1]
    path = strap.frames[-1]
    if kind == "towel":
        assert path[0] == end["left_palm"] and path[-1] == end["right_palm"]
        foot = end["left_foot_index"]  # the raised leg
        assert math.dist(path[1], foot) < 0.12
    else:
        for point, knee in zip(path, ("left_knee", "right_knee"), strict=True):
            assert math.dist(point, end[knee]) < 0.06
    svg = figures.render_figure(LIBRARY[slug], position, frame="end")
    assert f'stroke="{figures.STRAP}"' in svg


@pytest.mark.parametrize(
    ("slug", "position", "solid"),
    [
        ("side-plank-from-knees", schema.Position.STANDING, "wall"),
        ("relaxed-breathing", schema.Position.BED, "pillow"),
        ("bird-dog", schema.Position.STANDING, "backrest"),
        ("hip-flexor-stretch", schema.Position.BED, "mattress"),
    ],
)
def test_props_and_furniture_are_drawn(slug, position, solid) -> None:
    staged = stage(slug, position)
    assert any(s.kind == solid for s in staged.solids)
    svg = figures.render_figure(LIBRARY[slug], position, frame="end")
    colour = figures.SOLID_COLOURS[solid][0]
    assert f'fill="{colour}"' in svg


@pytest.mark.parametrize("position", [schema.Position.FLOOR, schema.Position.BED])
def test_the_clamshell_opens_the_knees_and_keeps_the_feet_together(position) -> None:
    staged = stage("clamshell", position)
    start, end = staged.frames[0], staged.frames[-1]

    def apart(frame: dict, part: str) -> float:
        return math.dist(frame[f"left_{part}"], frame[f"right_{part}"])

    assert apart(end, "knee") - apart(start, "knee") > 0.08  # the top knee lifts
    assert abs(apart(end, "ankle") - apart(start, "ankle")) < 0.03  # the feet stay together


@pytest.mark.parametrize(("slug", "position", "side"), [c for c in CASES if c.values[2] == "left"])
def test_points_resting_at_start_and_end_stay_down_in_between(slug, position, side) -> None:
    """The animation does not lift the body off what it rests on mid-movement."""
    staged = stage(slug, position)
    pose = LIBRARY[slug].positions[position].pose
    held = settle.held_contacts(staged.start, staged.end)
    for index, frame in enumerate(staged.frames[1:-1], start=1):
        for surface, names in held.items():
            level = settle.level_of(surface, pose.surface, held)
            if level is None:
                continue
            for name in names:
                if (settle.limb_of(name) or ("", ""))[1] == "arm":
                    continue  # hands slide on their way
                above = frame[name][2] - settle.point_radius(name) - level
                assert abs(above) <= 0.03, (
                    f"{slug} {position.value} frame {index}: {name} {above:+.3f}"
                )


@pytest.mark.parametrize(("slug", "position", "side"), [c for c in CASES if c.values[2] == "left"])
def test_whatever_lies_at_mat_or_mattress_height_is_over_it(slug, position, side) -> None:
    """At the start and the end, a foot or hand at the height of the mat's top is on the mat,
    not in the air past its end (the mat and bed are drawn round the body, so they must reach
    every part lying on them; arms flung out may lie on the floor beside a mat). In between, a
    leg on its way over the bed's edge may pass it."""
    staged = stage(slug, position)
    problems = []
    for solid in staged.solids:
        if solid.kind not in {"mat", "mattress"}:
            continue
        (x0, x1), (y0, y1), (_, top) = solid.box
        for label, frame in (("start", staged.frames[0]), ("end", staged.frames[-1])):
            for name, (x, y, z) in frame.items():
                radius = settle.point_radius(name)
                if not -TOLERANCE <= z - radius - top <= 0.02:
                    continue
                if solid.kind == "mat" and (settle.limb_of(name) or ("", ""))[1] == "arm":
                    continue  # arms flung out lie on the floor beside a mat, a centimetre lower
                if not (x0 - radius <= x <= x1 + radius and y0 - radius <= y <= y1 + radius):
                    problems.append(f"{slug} {position.value} {label}: {name} is beside it")
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize(("slug", "position", "side"), [c for c in CASES if c.values[2] == "left"])
def test_an_arm_lying_alongside_rests_on_the_surface_not_just_above_it(
    slug, position, side
) -> None:
    """An arm at a lying body's side hangs at shoulder height, a few centimetres up, unless
    the figure code lays it down; a raised arm (hands on the tummy, a knee hug) is left be."""
    staged = stage(slug, position)
    levels = settle.rest_levels(staged.start, LIBRARY[slug].positions[position].pose.surface)
    problems = []
    for label, frame in (("start", staged.frames[0]), ("end", staged.frames[-1])):
        for arm in ("left", "right"):
            gaps = []
            for name, radius in (("elbow", "upper_arm"), ("wrist", "forearm")):
                z = frame[f"{arm}_{name}"][2] - settle.sk.RADIUS[radius]
                gaps.append(z - max((lv for lv in levels if lv <= z + 0.02), default=0.0))
            if all(TOLERANCE < gap < settle.sk.HOVER for gap in gaps):
                problems.append(f"{slug} {position.value} {label}: {arm} arm hovers {gaps}")
    assert not problems, "\n".join(problems)


DRAWN_AS = {
    ContactSurface.FLOOR: figures.FLOOR[0],
    ContactSurface.MAT: figures.MAT[0],
    ContactSurface.BED: figures.MATTRESS[0],
    ContactSurface.CHAIR_SEAT: figures.CHAIR[0],
    ContactSurface.CHAIR_BACK: figures.CHAIR[0],
    ContactSurface.WALL: figures.WALL[0],
    ContactSurface.PILLOW: figures.PILLOW[0],
}


@pytest.mark.parametrize(
    ("slug", "position"),
    [(slug, position) for slug, e in sorted(LIBRARY.items()) for position in e.positions],
)
def test_every_surface_something_rests_on_is_drawn(slug, position) -> None:
    """A foot put down on the floor beside a bed stands on a drawn floor, in every view."""
    pose = LIBRARY[slug].positions[position].pose
    staged = stage(slug, position)
    fills = {
        shape.fill
        for shape in figures.surface_shapes(staged, figures.camera(pose.view), pose.surface)
    }
    for surface in {*staged.start, *staged.end}:
        assert DRAWN_AS[surface] in fills, f"{slug} {position.value}: no {surface.value} drawn"
