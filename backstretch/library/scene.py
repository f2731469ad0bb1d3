"""A figure's scene in 3D: the settled body in every frame, the furniture and the props.

Pure Python (no Django). :func:`stage` settles the start and end keyframes on their surfaces
(:mod:`settle`), fills in the frames between, keeps resting points from skating, and then builds
the solids (floor, mat, bed, chair, wall, pillow) under and around the body, and the straps (a
towel round a foot, a band round the knees) that :mod:`figures` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import schema
from . import settle as st
from . import skeleton as sk
from .staging import ContactSurface as CS
from .staging import Prop, mirrored

IN_BETWEENS = 10
Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
# Solids a body point may rest on, by the surface name the data uses.
SURFACE_SOLIDS: dict[CS, tuple[str, ...]] = {
    CS.FLOOR: ("floor",),
    CS.MAT: ("mat",),
    CS.BED: ("mattress",),
    CS.CHAIR_SEAT: ("seat",),
    CS.CHAIR_BACK: ("backrest",),
    CS.WALL: ("wall",),
    CS.PILLOW: ("pillow",),
}
SOLID = frozenset({"floor", "mat", "mattress", "bed-frame", "seat", "backrest", "wall", "pillow"})


@dataclass(frozen=True)
class Solid:
    kind: str  # floor, mat, mattress, bed-frame, bed-leg, pillow, seat, backrest, chair-leg, wall
    box: Box


@dataclass(frozen=True)
class Strap:
    kind: str  # towel, belt or band
    frames: list[list[sk.Vec]]  # the strap's path in every frame


@dataclass(frozen=True)
class Scene:
    frames: list[sk.Points]
    start: st.Contacts  # as drawn (mirrored for the right side)
    end: st.Contacts
    solids: list[Solid]
    straps: list[Strap]
    seated: bool


def distance_to_box(p: sk.Vec, box: Box) -> float:
    """Signed distance from ``p`` to ``box`` (negative inside)."""
    outside = [max(lo - v, 0.0, v - hi) for v, (lo, hi) in zip(p, box, strict=True)]
    if any(outside):
        return sum(v * v for v in outside) ** 0.5
    return -min(min(v - lo, hi - v) for v, (lo, hi) in zip(p, box, strict=True))


def stage(pose: schema.Pose, side: str = "left") -> Scene:
    return _stage(pose.model_dump_json(), side)


def _swap(name: str) -> str:
    return mirrored({CS.FLOOR: [name]})[CS.FLOOR][0]


def _flip(p: sk.Vec) -> sk.Vec:
    return (p[0], -p[1], p[2])


@cache
def _stage(pose_json: str, side: str) -> Scene:
    if side == "right":  # the mirror image of the left side's scene
        left = _stage(pose_json, "left")
        return Scene(
            [{_swap(n): _flip(p) for n, p in f.items()} for f in left.frames],
            mirrored(left.start),
            mirrored(left.end),
            [
                Solid(s.kind, (s.box[0], (-s.box[1][1], -s.box[1][0]), s.box[2]))
                for s in left.solids
            ],
            [Strap(s.kind, [[_flip(p) for p in path] for path in s.frames]) for s in left.straps],
            left.seated,
        )
    pose = schema.Pose.model_validate_json(pose_json)
    start_kf, end_kf = pose.start, pose.end
    start_c: st.Contacts = dict(pose.staging.start)
    end_c: st.Contacts = dict(pose.staging.end)
    surface = pose.surface

    def still(points: sk.Points) -> tuple[float, float]:
        return (0.0, 0.0)

    planes: dict[CS, st.Plane] = {}
    first = st.settle(start_kf, start_c, surface, planes, still)
    for vertical in st.VERTICAL:
        if vertical in start_c:
            planes[vertical] = st.find_plane(vertical, first.points, start_c[vertical])
    anchors = st.anchor_points(start_c, end_c)
    home = st.centroid(first.points, anchors)

    def slide(points: sk.Points) -> tuple[float, float]:
        x, y = st.centroid(points, anchors)
        return (home[0] - x, home[1] - y)

    end_planes = dict(planes)
    last = st.settle(end_kf, end_c, surface, end_planes, slide)
    for vertical in st.VERTICAL:
        if vertical in end_c and vertical not in planes:
            planes[vertical] = st.find_plane(vertical, last.points, end_c[vertical])
    held = st.held_contacts(start_c, end_c)
    frames = [first.points]
    for i in range(1, IN_BETWEENS):
        t = i / IN_BETWEENS
        kf = sk.interpolate(first.keyframe, last.keyframe, t)
        dz = first.dz + (last.dz - first.dz) * t
        frames.append(st.rest_between(kf, held, surface, dz, slide))
    frames.append(last.points)
    edge = _on_bed_edge(start_c, end_c) and sk.is_upright(first.points)
    seated = CS.CHAIR_SEAT in start_c or CS.CHAIR_SEAT in end_c or edge
    props = set(pose.staging.props)
    solids = _solids(frames, surface, start_c, end_c, planes, props, seated)
    straps = _straps(frames, props)
    return Scene(frames, start_c, end_c, solids, straps, seated)


def _on_bed_edge(start: st.Contacts, end: st.Contacts) -> bool:
    """Sitting on the side of the bed: pelvis on the bed and feet on the floor."""
    return any(CS.BED in c and CS.FLOOR in c and "mid_hip" in c[CS.BED] for c in (start, end))


# --- furniture ---------------------------------------------------------------------------


def _extent(frames: list[sk.Points], pad: float) -> tuple[float, float, float, float]:
    xs = [p[0] for f in frames for p in f.values()]
    ys = [p[1] for f in frames for p in f.values()]
    return min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad


def _solids(
    frames: list[sk.Points],
    surface: schema.Surface,
    start: st.Contacts,
    end: st.Contacts,
    planes: dict[CS, st.Plane],
    props: set[Prop],
    seated: bool,
) -> list[Solid]:
    x0, x1, y0, y1 = _extent(frames, 0.07)
    solids: list[Solid] = []
    top = sk.SURFACE_TOP["mat"]
    if surface is schema.Surface.MAT:
        solids.append(_mat(frames, start, end, (x0, x1), top))
    elif surface is schema.Surface.BED:
        solids += _bed(frames, start, end, seated, Prop.BED_EDGE in props)
    uses_chair = surface is schema.Surface.CHAIR or Prop.CHAIR in props
    if uses_chair or CS.CHAIR_SEAT in start or CS.CHAIR_SEAT in end:
        solids += _chair(frames, start, end, planes, seated)
    if CS.WALL in planes:
        solids.append(_wall(frames, planes[CS.WALL]))
    pillowed = {n for c in (start, end) for n in c.get(CS.PILLOW, [])}
    if pillowed:
        solids.append(_pillow(frames, start, end, sorted(pillowed), st.base_level(surface)))
    xs = [v for s in solids for v in s.box[0]] + [x0, x1]
    ys = [v for s in solids for v in s.box[1]] + [y0, y1]
    floor = Solid(
        "floor", ((min(xs) - 0.1, max(xs) + 0.1), (min(ys) - 0.1, max(ys) + 0.1), (-0.02, 0.0))
    )
    return [floor, *solids]


def _mat(
    frames: list[sk.Points],
    start: st.Contacts,
    end: st.Contacts,
    span: tuple[float, float],
    top: float,
) -> Solid:
    """A mat as wide as a real one under the trunk and whatever rests on it: arms flung out
    to the sides lie on the floor beyond it (and a view from above is not all mat)."""
    on_mat = {n for c in (start, end) for n in c.get(CS.MAT, [])}
    ys = [f[n][1] for f in frames for n in (*sk.TRUNK, *on_mat)]
    # A leg lying on it (a foot beside a named ankle) is on it too, not past its end; arms
    # flung out may lie on the floor beside it.
    ys += [
        p[1]
        for f in frames
        for n, p in f.items()
        if p[2] - st.point_radius(n) < top + 0.02 and (st.limb_of(n) or ("", ""))[1] != "arm"
    ]
    low, high = min(ys) - 0.1, max(ys) + 0.1
    middle = (low + high) / 2
    low, high = min(low, middle - 0.2), max(high, middle + 0.2)
    return Solid("mat", (span, (low, high), (0.0, top)))


def _bed(
    frames: list[sk.Points], start: st.Contacts, end: st.Contacts, seated: bool, edge: bool
) -> list[Solid]:
    top = sk.SURFACE_TOP["bed"]
    first = frames[0]
    x0, x1, y0, y1 = _extent(frames, 0.07)
    on_bed = {n for c in (start, end) for n in c.get(CS.BED, []) + c.get(CS.PILLOW, [])}
    if seated:  # sitting on the long edge, legs over the side
        hip = first["mid_hip"]
        bx, by = (hip[0] - 0.55, hip[0] + 0.12), (hip[1] - 0.6, hip[1] + 0.6)
    else:  # the head end just beyond the head, the foot end at least a bed's length away
        head, hip = first["head_centre"], first["mid_hip"]
        along = 0 if abs(head[0] - hip[0]) >= abs(head[1] - hip[1]) else 1  # lying along x or y
        low, high = ((x0, x1), (y0, y1))[along]
        if head[along] < hip[along]:
            length = (min(low, head[along] - 0.14), max(high, head[along] - 0.14 + 1.15))
        else:
            length = (min(low, head[along] + 0.14 - 1.15), max(high, head[along] + 0.14))
        low, high = ((x0, x1), (y0, y1))[1 - along]
        middle = hip[1 - along]
        width = (min(low, middle - 0.28), max(high, middle + 0.28))
        bx, by = (length, width) if along == 0 else (width, length)
        if edge or CS.FLOOR in start or CS.FLOOR in end:  # a leg over the edge
            bx, by = _edge_for_hanging(frames, on_bed, bx, by)
    legs = [
        Solid("bed-leg", ((x - 0.02, x + 0.02), (y - 0.02, y + 0.02), (0.0, 0.11)))
        for x in (bx[0] + 0.04, bx[1] - 0.04)
        for y in (by[0] + 0.04, by[1] - 0.04)
    ]
    return [
        *legs,
        Solid("bed-frame", (bx, by, (0.1, 0.16))),
        Solid("mattress", ((bx[0] + 0.005, bx[1] - 0.005), by, (0.16, top))),
    ]


def _edge_for_hanging(
    frames: list[sk.Points],
    on_bed: set[str],
    bx: tuple[float, float],
    by: tuple[float, float],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Move one edge of the bed in so that every part lower than the mattress is over it."""
    top = sk.SURFACE_TOP["bed"]
    low = [p for f in frames for n, p in f.items() if p[2] - st.point_radius(n) < top - 0.01]
    if not low:
        return bx, by
    resting = [f[n] for f in frames for n in on_bed] + [f[n] for f in frames for n in sk.TRUNK]
    best: tuple[float, int, float] | None = None
    for axis in (0, 1):
        for sign in (1.0, -1.0):
            edge = min(sign * p[axis] for p in low) - 0.03
            margin = edge - max(sign * t[axis] for t in resting)
            if best is None or margin > best[0]:
                best = (margin, axis, sign * edge)
    assert best is not None
    _, axis, edge = best
    span = [bx, by][axis]
    centre = (span[0] + span[1]) / 2
    new = (span[0], edge) if edge > centre else (edge, span[1])
    return (new, by) if axis == 0 else (bx, new)


def _chair(
    frames: list[sk.Points],
    start: st.Contacts,
    end: st.Contacts,
    planes: dict[CS, st.Plane],
    seated: bool,
) -> list[Solid]:
    seat = st.CHAIR_SEAT
    on_seat = [
        (f, n) for f, c in ((frames[0], start), (frames[-1], end)) for n in c.get(CS.CHAIR_SEAT, [])
    ]
    first = frames[0]
    y = first["mid_hip"][1]
    if seated or on_seat:
        sitting = [f for f, _ in on_seat] or [first]
        back_x = min(f["mid_hip"][0] for f in sitting) - 0.13
        trunk = [f[n][0] - st.point_radius(n) for f in frames for n in sk.TRUNK if f[n][2] > seat]
        back_x = min(back_x, min(trunk) - 0.035)  # behind the back even when leaning back
        if CS.CHAIR_BACK in planes:
            back_x = -planes[CS.CHAIR_BACK].coord - 0.03
        knees = [f[f"{s}_knee"][0] for f in sitting for s in sk.SIDES]
        front = max(back_x + 0.3, min(min(knees) - 0.03, back_x + 0.45))
    else:  # standing: the chair's back under a hand that rests on it, else in front
        hands = [
            f[n]
            for f, c in ((frames[0], start), (frames[-1], end))
            for n in c.get(CS.CHAIR_BACK, [])
        ]
        if hands:
            back_x, y = hands[0][0] - 0.015, hands[0][1]
        else:
            reach = max(f[f"{s}_wrist"][0] for f in frames for s in sk.SIDES)
            back_x = max(reach + 0.02, first["mid_hip"][0] + 0.22)
        front = back_x + 0.4
    sx = (back_x, front)
    half = [n for n in {n for _, n in on_seat} if n in ("left_hip", "right_hip")]
    if len(half) == 1 and {n for _, n in on_seat} == set(half):
        # Sitting sideways on one buttock: the seat ends at the middle of the body, so the
        # other leg can drop past its edge; the back is on the side away from that leg.
        return _sideways_chair(first, 1.0 if half[0] == "left_hip" else -1.0)
    legs = [
        Solid("chair-leg", ((x - 0.012, x + 0.012), (yy - 0.012, yy + 0.012), (0.0, seat - 0.03)))
        for x in (sx[0] + 0.015, sx[1] - 0.015)
        for yy in (y - 0.11, y + 0.11)
    ]
    return [
        *legs,
        Solid(
            "backrest", ((back_x, back_x + 0.03), (y - 0.12, y + 0.12), (seat, st.CHAIR_BACK_TOP))
        ),
        Solid("seat", (sx, (y - 0.13, y + 0.13), (seat - 0.035, seat))),
    ]


def _sideways_chair(first: sk.Points, sign: float) -> list[Solid]:
    seat, (x, y, _) = st.CHAIR_SEAT, first["mid_hip"]
    edge = y + sign * 0.02
    far = edge + sign * 0.27
    sy = (min(edge, far), max(edge, far))
    sx = (x - 0.14, x + 0.14)
    legs = [
        Solid("chair-leg", ((xx - 0.012, xx + 0.012), (yy - 0.012, yy + 0.012), (0.0, seat - 0.03)))
        for xx in (sx[0] + 0.015, sx[1] - 0.015)
        for yy in (sy[0] + 0.015, sy[1] - 0.015)
    ]
    back = (far - sign * 0.03, far)
    return [
        *legs,
        Solid("backrest", (sx, (min(back), max(back)), (seat, st.CHAIR_BACK_TOP))),
        Solid("seat", (sx, sy, (seat - 0.035, seat))),
    ]


def _wall(frames: list[sk.Points], plane: st.Plane) -> Solid:
    x0, x1, y0, y1 = _extent(frames, 0.15)
    near = plane.sign * plane.coord
    thick = (near, near + 0.04) if plane.sign > 0 else (near - 0.04, near)
    span = [(x0, x1), (y0, y1)]
    span[plane.axis] = thick
    return Solid("wall", (span[0], span[1], (0.0, 1.15)))


def _pillow(
    frames: list[sk.Points],
    start: st.Contacts,
    end: st.Contacts,
    names: list[str],
    base: float,
) -> Solid:
    frame = frames[0] if CS.PILLOW in start else frames[-1]
    xs = [frame[n][0] for n in names]
    ys = [frame[n][1] for n in names]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    if names == ["head_centre"]:  # under the head, not the neck: shift it beyond the head
        away = frame["head_centre"][0] - frame["neck"][0]
        cx += 0.04 if away > 0 else -0.04
    half_x, half_y = 0.09 + (max(xs) - min(xs)) / 2, 0.16 + (max(ys) - min(ys)) / 2
    return Solid(
        "pillow",
        (
            (cx - half_x, cx + half_x),
            (cy - half_y, cy + half_y),
            (base, base + st.PILLOW_THICKNESS),
        ),
    )


# --- straps ---------------------------------------------------------------------------------


def _straps(frames: list[sk.Points], props: set[Prop]) -> list[Strap]:
    straps: list[Strap] = []
    for kind in (Prop.TOWEL, Prop.BELT):
        if kind in props:
            straps.append(Strap(kind.value, [_round_foot(f) for f in frames]))
    if Prop.BAND in props:
        straps.append(Strap("band", [_round_knees(f) for f in frames]))
    return straps


def _round_foot(f: sk.Points) -> list[sk.Vec]:
    """Hands to the sole of the foot nearest to them and back: a loop round the foot."""
    hands = [f[f"{s}_palm"] for s in sk.SIDES]
    mid = tuple(sum(c) / 2 for c in zip(*hands, strict=True))
    side = min(sk.SIDES, key=lambda s: sk.distance(f[f"{s}_foot_index"], mid))
    heel, toe, ankle = f[f"{side}_heel"], f[f"{side}_foot_index"], f[f"{side}_ankle"]
    ball = sk.add(sk.scale(toe, 0.65), sk.scale(heel, 0.35))
    sole = sk.sub(ball, sk.scale(sk.sub(ankle, ball), 0.35))
    return [hands[0], sole, hands[1]]


def _round_knees(f: sk.Points) -> list[sk.Vec]:
    """A band just above both knees, drawn as the line between them."""
    above = [
        sk.add(sk.scale(f[f"{s}_knee"], 0.85), sk.scale(f[f"{s}_hip"], 0.15)) for s in sk.SIDES
    ]
    return [above[0], above[1]]
