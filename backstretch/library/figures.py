"""Draw an exercise's pose data as an inline SVG figure of a person on a mat, bed or chair.

The 3D body comes from :mod:`skeleton`; a per-position camera (``pose.view``) projects it
orthographically. Limbs are thick rounded strokes as wide as the real limb, the torso a filled
rounded shape, the head a circle with a nose and an eye showing where the face points. Limbs on
the far side are a lighter shade; shapes are painted far to near. ``frame="animated"`` moves
between the start and end keyframes with SMIL (no JavaScript) and falls back to the still end
pose under ``prefers-reduced-motion``.
"""

from __future__ import annotations

import itertools
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from django.utils import translation
from django.utils.translation import gettext as _

from . import scene as sc
from . import schema
from . import skeleton as sk
from .staging import ContactSurface as CS
from .translations import exercise_text, load_translations, translated_exercise
from .vocabulary import FIGURE_PLACES, SIDE_PHRASES

UNITS = 100.0  # SVG units per body height
HALO = 1.2  # width of the white outline around each body part, in SVG units
NEAR = "#1d5b79"
FAR = "#93b9cc"
EYE = "#ffffff"
FLOOR = ("#f4f1ed", "#b7aea6")
MAT = ("#d3c8bc", "#a99d90")
MATTRESS = ("#ece6df", "#b4a99f")
BED_FRAME = ("#a89b90", "#93877c")
PILLOW = ("#faf7f3", "#c4b9af")
CHAIR = ("#b09f90", "#8f7f71")
WALL = ("#e4ddd5", "#b4a99f")
STRAP = "#c2410c"  # towel, belt or band: a warm colour apart from the body
TOKEN = "BSUID"  # replaced by a fresh id per figure so many can share a page
PIXELS = 3  # a figure file's natural size, in CSS pixels per SVG unit (pages scale it)
# Timeline in seconds: move to the end pose, hold, move back, rest.
MOVE, HOLD, REST = 2.0, 2.0, 1.0
DURATION = MOVE + HOLD + MOVE + REST

Point2 = tuple[float, float]


@dataclass(frozen=True)
class Camera:
    right: sk.Vec
    up: sk.Vec
    toward: sk.Vec  # from the subject toward the camera: larger depth is nearer

    def project(self, p: sk.Vec) -> Point2:
        return (sk.dot(p, self.right) * UNITS, -sk.dot(p, self.up) * UNITS)

    def depth(self, p: sk.Vec) -> float:
        return sk.dot(p, self.toward)


def _cross(a: sk.Vec, b: sk.Vec) -> sk.Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def camera(view: schema.View | str, side: str = "left") -> Camera:
    """Side views look at the working side; three-quarter is 45° round from the front toward the
    working side, 10° down: a leg crossed over the other knee is in front, lying across it, and
    a lean forward from the hips shows; front-high looks at a body lying on its back from beyond
    its feet and 40° round toward the other side, 35° down (bent knees show as a peak, and sweep
    across when they roll to a side); oblique is 45° round toward the working side, 30° down:
    someone lying on one side seen from in front and beyond the feet (the top knee opening
    shows) or a seated trunk turning toward the viewer; side-high is the side view raised 40°:
    hands resting on the chest and tummy of someone lying down cross the trunk; front-above is
    the front view turned 25° toward the other side and raised 18°: knees bent behind someone
    lying on their side show, and a lift of the hips still does; other-side is the side view
    from the side that does not work: a bent leg lying out to that side shows in front of the
    straight one; other-side-high is that view raised 30°: a thigh pulled toward the chest with
    the hands on it shows in front, the other ankle crossed over its knee above it."""
    view = schema.View(view)
    if view is schema.View.TOP:  # looking down, the head of a person lying down at the top
        return Camera((0.0, 1.0, 0.0), (-1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    sign = 1.0 if side == "left" else -1.0
    azimuth, elevation = {
        schema.View.SIDE: (90.0, 0.0),
        schema.View.FRONT: (0.0, 0.0),
        schema.View.THREE_QUARTER: (45.0, 10.0),
        schema.View.FRONT_HIGH: (-40.0, 35.0),
        schema.View.OBLIQUE: (45.0, 30.0),
        schema.View.SIDE_HIGH: (90.0, 40.0),
        schema.View.FRONT_ABOVE: (-25.0, 18.0),
        schema.View.OTHER_SIDE: (-90.0, 0.0),
        schema.View.OTHER_SIDE_HIGH: (-90.0, 30.0),
    }[view]
    az, el = math.radians(azimuth * sign), math.radians(elevation)
    toward = (math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el))
    right = _cross((-toward[0], -toward[1], -toward[2]), (0.0, 0.0, 1.0))
    length = sk.norm(right)
    right = (right[0] / length, right[1] / length, right[2] / length)
    return Camera(right, _cross(toward, right), toward)


# --- shapes ---------------------------------------------------------------------------


@dataclass
class Shape:
    """One drawn element, with its 2D geometry in every animation frame."""

    kind: str  # "line" (a rounded stroke through points), "poly" (filled) or "circle"
    frames: list[list[Point2]]
    depth: float
    fill: str
    stroke: str
    width: float  # stroke width, or the radius for circles
    css: str = ""

    def geometry(self, frame: int) -> dict[str, str]:
        pts = self.frames[frame]
        if self.kind == "circle":
            return {"cx": _n(pts[0][0]), "cy": _n(pts[0][1])}
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        if self.kind == "poly":
            return {"points": coords}
        return {"d": "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in pts)}

    def element(self, frames: Sequence[int] | None, timing: tuple[str, str] | None) -> str:
        """The SVG element, still at ``frames[0]`` or animated through ``frames``."""
        frames = frames or [len(self.frames) - 1]
        static = self.geometry(frames[0])
        attrs = dict(static)
        if self.kind == "circle":
            tag = "circle"
            attrs.update(r=_n(self.width), fill=self.fill)
        else:
            tag = "polygon" if self.kind == "poly" else "path"
            attrs.update(
                fill=self.fill if self.kind == "poly" else "none",
                stroke=self.stroke,
                **{"stroke-width": _n(self.width)},
            )
        body = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
        animates = []
        if timing is not None and len(frames) > 1:
            key_times, key_splines = timing
            for name in static:
                values = [self.geometry(i)[name] for i in frames]
                if len(set(values)) > 1:
                    animates.append(
                        f'<animate attributeName="{name}" dur="{_n(DURATION)}s" '
                        f'repeatCount="indefinite" calcMode="spline" keyTimes="{key_times}" '
                        f'keySplines="{key_splines}" values="{";".join(values)}"/>'
                    )
        if animates:
            return f"<{tag}{body}>{''.join(animates)}</{tag}>"
        return f"<{tag}{body}/>"


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in {"-0.0", "0.0"} else text.removesuffix(".0")


def _segment(
    frames: list[sk.Points], cam: Camera, names: Sequence[str], width: float, colour: str
) -> Shape:
    geometry = [[cam.project(f[n]) for n in names] for f in frames]
    depth = sum(cam.depth(f[n]) for f in frames for n in names) / (len(frames) * len(names))
    return Shape("line", geometry, depth, "none", colour, width * UNITS)


def body_shapes(frames: list[sk.Points], cam: Camera) -> list[list[Shape]]:
    """The person as groups of shapes (a limb, the torso, the head), far to near."""
    r = sk.RADIUS
    groups: list[list[Shape]] = []
    forearms: list[list[Shape]] = []
    for limb, root in (("leg", "hip"), ("arm", "shoulder")):
        depth = {
            s: sum(cam.depth(f[f"{s}_{root}"]) for f in frames) / len(frames) for s in sk.SIDES
        }
        for side in sk.SIDES:
            other = "right" if side == "left" else "left"
            colour = FAR if depth[side] < depth[other] - 0.03 else NEAR
            parts: list[tuple[list[str], float]] = (
                [
                    ([f"{side}_hip", f"{side}_knee"], r["thigh"]),
                    ([f"{side}_knee", f"{side}_ankle"], r["shank"]),
                ]
                if limb == "leg"
                else [
                    ([f"{side}_shoulder", f"{side}_elbow"], r["upper_arm"]),
                    ([f"{side}_elbow", f"{side}_wrist"], r["forearm"]),
                    ([f"{side}_wrist", f"{side}_palm"], r["hand"] + 0.004),
                ]
            )
            group = [_segment(frames, cam, names, 2 * radius, colour) for names, radius in parts]
            if limb == "leg":
                foot = [f"{side}_ankle", f"{side}_heel", f"{side}_foot_index"]
                shape = _segment(frames, cam, foot, 2 * r["foot"], colour)
                shape.kind, shape.fill = "poly", colour
                group.append(shape)
            if limb == "arm" and hand_on_trunk(frames, cam, side):
                groups.append(group[:1])
                forearms.append(group[1:])  # painted over the trunk it rests on
            else:
                groups.append(group)
    torso = _segment(frames, cam, sk.TORSO, 2 * r["torso"], NEAR)
    torso.kind, torso.fill = "poly", NEAR
    spine = _segment(frames, cam, sk.TORSO_SPINE, 2 * r["torso"], NEAR)
    trunk = [torso, spine, _segment(frames, cam, ["neck", "head_base"], 2 * r["neck"], NEAR)]
    groups.append(trunk)
    groups.append(_head(frames, cam))
    in_front = sum(s.depth for s in trunk) / len(trunk) + 0.001
    for group in forearms:
        for shape in group:
            shape.depth = max(shape.depth, in_front)
        groups.append(group)
    for group in groups:
        group.sort(key=lambda s: s.depth)
    groups.sort(key=lambda g: sum(s.depth for s in g) / len(g))
    return groups


TRUNK_LINES = [
    sk.TORSO_SPINE,
    ["left_hip", "left_waist", "left_chest"],
    ["right_hip", "right_waist", "right_chest"],
]


def _nearest_on(p: sk.Vec, a: sk.Vec, b: sk.Vec) -> sk.Vec:
    ab = sk.sub(b, a)
    length = sk.dot(ab, ab)
    t = 0.0 if length < 1e-12 else min(1.0, max(0.0, sk.dot(sk.sub(p, a), ab) / length))
    return sk.add(a, sk.scale(ab, t))


def hand_on_trunk(frames: list[sk.Points], cam: Camera, side: str) -> bool:
    """Whether a hand rests on the side of the trunk that faces the camera (on the chest or
    the tummy of someone seen from in front or above) at the start or the end. Painting
    whole limbs far to near would hide such a hand behind the trunk it lies on."""
    reach = sk.RADIUS["torso"] + sk.RADIUS["hand"] + 0.02
    for f in (frames[0], frames[-1]):
        palm = f[f"{side}_palm"]
        nearest = min(
            (
                _nearest_on(palm, f[a], f[b])
                for line in TRUNK_LINES
                for a, b in itertools.pairwise(line)
            ),
            key=lambda q: sk.distance(palm, q),
        )
        if sk.distance(palm, nearest) <= reach and cam.depth(palm) > cam.depth(nearest) + 0.01:
            return True
    return False


def _head(frames: list[sk.Points], cam: Camera) -> list[Shape]:
    def circle(name: str, radius: float, colour: str, bias: float = 0.0) -> Shape:
        geometry = [[cam.project(f[name])] for f in frames]
        depth = sum(cam.depth(f[name]) for f in frames) / len(frames) + bias
        return Shape("circle", geometry, depth, colour, "none", radius * UNITS)

    head = circle("head_centre", sk.HEAD_RADIUS, NEAR, 0.03)
    nose = circle("nose", 0.017, NEAR, 0.03)
    nose.depth = min(nose.depth, head.depth - 0.001)  # a bump on the outline, never a dot
    eyes = [circle(f"{s}_eye", 0.011, EYE, 0.03) for s in sk.SIDES]
    near_eye = max(eyes, key=lambda e: e.depth)
    if near_eye.depth < head.depth + 0.02:  # the face looks away: no eye shows
        return [nose, head]
    return [nose, head, near_eye]


# --- surfaces -------------------------------------------------------------------------

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]


def _hull(points: list[Point2]) -> list[Point2]:
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def turn(o: Point2, a: Point2, b: Point2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point2] = []
    upper: list[Point2] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _box(box: Box, cam: Camera, colours: tuple[str, str], edge: float = 0.8) -> Shape:
    (x0, x1), (y0, y1), (z0, z1) = box
    corners = [(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
    outline = _hull([cam.project(c) for c in corners])
    centre = ((x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2)
    return Shape("poly", [outline], cam.depth(centre), colours[0], colours[1], edge)


SOLID_COLOURS: dict[str, tuple[str, str]] = {
    "floor": FLOOR,
    "mat": MAT,
    "mattress": MATTRESS,
    "bed-frame": BED_FRAME,
    "bed-leg": BED_FRAME,
    "pillow": PILLOW,
    "seat": CHAIR,
    "backrest": CHAIR,
    "chair-leg": CHAIR,
    "wall": WALL,
}


def surface_shapes(scene: sc.Scene, cam: Camera, surface: schema.Surface) -> list[Shape]:
    """The furniture as outlined boxes; the floor only when it is seen edge-on or something
    rests on it (a foot put down beside the bed shows the floor it stands on)."""
    flat = abs(cam.toward[2]) < 0.01  # the floor is a line seen edge-on
    on_floor = CS.FLOOR in scene.start or CS.FLOOR in scene.end
    shapes = []
    for solid in scene.solids:
        if solid.kind == "floor" and not (
            flat or on_floor or surface in {schema.Surface.FLOOR, schema.Surface.CHAIR}
        ):
            continue
        shapes.append(_box(solid.box, cam, SOLID_COLOURS[solid.kind]))
    shapes.sort(key=lambda s: (s.fill not in {FLOOR[0], WALL[0]}, s.depth))  # floor, wall first
    return shapes


def strap_shapes(scene: sc.Scene, cam: Camera) -> list[Shape]:
    """A towel, belt or band as a thin strong line that moves with the body."""
    shapes = []
    for strap in scene.straps:
        geometry = [[cam.project(p) for p in path] for path in strap.frames]
        count = sum(len(path) for path in strap.frames)
        depth = sum(cam.depth(p) for path in strap.frames for p in path) / count
        width = 0.022 if strap.kind == "band" else 0.016
        shapes.append(Shape("line", geometry, depth, "none", STRAP, width * UNITS))
    return shapes


# --- the figure -----------------------------------------------------------------------


def _timeline(n: int) -> tuple[list[int], str, str]:
    """Frame indices, keyTimes and keySplines: eased move, hold, eased move back, rest."""

    def ease_time(t: float) -> float:  # inverse of ease(s) = (1 - cos(pi s)) / 2
        return math.acos(1 - 2 * t) / math.pi

    def slope(s: float) -> float:
        return math.pi / 2 * math.sin(math.pi * s)

    taus = [ease_time(i / n) for i in range(n + 1)]
    splines = []
    for i in range(n):
        span = (taus[i + 1] - taus[i]) * n
        m0, m1 = slope(taus[i]) * span, slope(taus[i + 1]) * span
        y1, y2 = min(1.0, m0 / 3), max(0.0, 1 - m1 / 3)
        splines.append(f"0.333 {y1:.3f} 0.667 {y2:.3f}")
    linear = "0 0 1 1"
    frames = [*range(n + 1), n, *range(n - 1, -1, -1), 0]
    times = [MOVE * t for t in taus] + [MOVE + HOLD]
    times += [MOVE + HOLD + MOVE * (1 - taus[n - i]) for i in range(1, n + 1)] + [DURATION]
    key_times = ";".join(f"{t / DURATION:.4f}" for t in times)
    key_splines = ";".join([*splines, linear, *reversed(_flip(splines)), linear])
    return frames, key_times, key_splines


def _flip(splines: list[str]) -> list[str]:
    """The same eased segments played backward in time (control points rotated 180°)."""
    flipped = []
    for spline in splines:
        x1, y1, x2, y2 = (float(v) for v in spline.split())
        flipped.append(f"{1 - x2:.3f} {1 - y2:.3f} {1 - x1:.3f} {1 - y1:.3f}")
    return flipped


def describe(exercise: schema.Exercise, position: schema.Position, side: str) -> str:
    where = FIGURE_PLACES[position]
    text = _("%(name)s, %(where)s") % {"name": exercise.name, "where": where}
    if exercise.dosage_for(position).sides != schema.Sides.NONE:
        text += ", " + str(SIDE_PHRASES["left" if side == "left" else "right"])
    return text


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        pad = shape.width if shape.kind == "circle" else shape.width / 2
        for frame in shape.frames:
            for x, y in frame:
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
    return min(xs), min(ys), max(xs), max(ys)


def _render(
    exercise: schema.Exercise,
    position: schema.Position,
    side: str,
    frame: str,
    label: str | None,
    document: bool = False,
) -> str:
    """The figure's ``<svg>``: for a page (inline, with its title, ids to make unique with
    :func:`_fresh`) or, with ``document``, for a file of its own shown by ``<img>``: no text
    (the ``<img>`` carries it, so one file serves every language), a size of its own (the
    ``<img>``'s natural size), and an animated one's still end pose hidden by an attribute,
    not a ``<style>``: browsers pass no reduced-motion preference into a picture (a page's
    ``<picture>`` loads the still file instead: templatetags/figures.py), and a page that puts
    the file inline (the player) allows no ``<style>`` but shows the still pose by app.css,
    whose rule outweighs the attribute."""
    if frame not in {"start", "end", "animated"}:
        raise ValueError(f"frame must be start, end or animated, not {frame!r}")
    if side not in sk.SIDES:
        raise ValueError(f"side must be left or right, not {side!r}")
    pose = exercise.positions[position].pose
    scene = sc.stage(pose, side)
    cam = camera(pose.view, side)
    body = body_shapes(scene.frames, cam)
    straps = strap_shapes(scene, cam)
    if straps:  # a strap is drawn with the hands that hold it, in front of the body
        body.append(straps)
    ground = surface_shapes(scene, cam, pose.surface)
    left, top, right, bottom = _bounds([shape for group in body for shape in group] + ground)
    margin = 4.0
    box = (left - margin, top - margin, right - left + 2 * margin, bottom - top + 2 * margin)
    view_box = " ".join(_n(v) for v in box)
    if document:
        uid = "f"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
            f'width="{round(box[2] * PIXELS)}" height="{round(box[3] * PIXELS)}" '
            f'class="bs-figure" '
            f'data-frame="{frame}" stroke-linecap="round" stroke-linejoin="round">'
        ]
    else:
        title = label if label is not None else describe(exercise, position, side)
        uid = TOKEN
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
            f'role="img" aria-labelledby="{uid}-title" class="bs-figure" data-frame="{frame}" '
            'stroke-linecap="round" stroke-linejoin="round">',
            f'<title id="{uid}-title">{escape(title)}</title>',
        ]
    parts += [
        # A thin white outline keeps an arm in front of the torso (same colour) readable.
        f'<filter id="{uid}-halo" filterUnits="userSpaceOnUse" x="{_n(box[0])}" '
        f'y="{_n(box[1])}" width="{_n(box[2])}" height="{_n(box[3])}">'
        f'<feMorphology in="SourceAlpha" operator="dilate" radius="{_n(HALO)}" result="grown"/>'
        '<feFlood flood-color="#ffffff"/><feComposite in2="grown" operator="in"/>'
        '<feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter>',
    ]
    parts.append('<g class="bs-surface">')
    parts += [shape.element([0], None) for shape in ground]
    parts.append("</g>")
    last = len(scene.frames) - 1

    def draw(frames: list[int], timing: tuple[str, str] | None) -> None:
        for group in body:
            parts.append(f'<g filter="url(#{uid}-halo)">')
            parts.extend(shape.element(frames, timing) for shape in group)
            parts.append("</g>")

    if frame == "animated":
        frames, key_times, key_splines = _timeline(last)
        # Which of the two shows (the end pose for reduced motion) is in app.css: a page's
        # Content-Security-Policy allows no <style> inside the page, an inline SVG's included.
        parts.append('<g class="bs-body bs-anim">')
        draw(frames, (key_times, key_splines))
        hidden = ' display="none"' if document else ""
        parts.append(f'</g><g class="bs-body bs-still"{hidden}>')
        draw([last], None)
    else:
        parts.append('<g class="bs-body">')
        draw([0 if frame == "start" else last], None)
    parts.append("</g></svg>")
    return "".join(parts)


def _fresh(svg: str) -> str:
    return svg.replace(TOKEN, "bsf-" + secrets.token_hex(5))


def render_figure(
    exercise: schema.Exercise,
    position: schema.Position | str,
    *,
    side: str = "left",
    frame: str = "animated",
    label: str | None = None,
) -> str:
    """One ``<svg>`` element showing ``exercise`` in ``position`` (ids unique per call)."""
    return _fresh(_render(exercise, schema.Position(position), side, frame, label))


@cache
def _library() -> dict[str, schema.Exercise]:
    return schema.load_library()


def shipped_library() -> dict[str, schema.Exercise]:
    """The shipped library in English, read once a process."""
    return _library()


@cache
def _library_in(language: str) -> dict[str, schema.Exercise]:
    """The shipped library in ``language`` (its data translations; English where none)."""
    english = _library()
    if not language or language.split("-")[0] == "en":
        return english
    texts = {slug: exercise_text(spec) for slug, spec in english.items()}
    words, _problems, _missing = load_translations(schema.DATA_DIR, language.split("-")[0], texts)
    return {slug: translated_exercise(spec, words.get(slug)) for slug, spec in english.items()}


def shipped_library_in(language: str) -> dict[str, schema.Exercise]:
    """The shipped library in ``language`` (its data translations; English where none)."""
    return _library_in(language)


@cache
def _cached(slug: str, position: schema.Position, side: str, frame: str, language: str) -> str:
    return _render(_library_in(language)[slug], position, side, frame, None)


def cached_figure(
    slug: str, position: schema.Position | str, side: str = "left", frame: str = "animated"
) -> str:
    """:func:`render_figure` for a shipped exercise, memoised (fresh ids on every call)."""
    language = translation.get_language() or ""
    return _fresh(_cached(slug, schema.Position(position), side, frame, language))


def render_document(
    exercise: schema.Exercise, position: schema.Position, side: str, frame: str
) -> str:
    """The figure as a file of its own, shown by ``<img>`` (see :func:`_render`)."""
    return _render(exercise, position, side, frame, None, document=True)
