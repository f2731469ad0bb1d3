"""The shape of an exercise data file, validated on load.

Pure: no Django imports. An exercise is one TOML file under ``library/data/``; see
CONTRIBUTING.md for the recipe and ``figures.py`` for how pose data is drawn.

Pose convention (all angles in degrees, 0 = standing upright, arms by the sides,
facing forward). Body axes: x forward, y to the body's left, z up.

* ``pelvis``: the body's root. ``pitch`` tips the top of the pelvis forward (+90 lies
  face down, -90 lies on the back); ``roll`` tips it toward the body's left (+) or right
  (-) side (+90 lies on the left side); ``twist`` turns it about its own long axis
  (+ = toward the left; on the back, +45 lets bent knees fall to the left).
* ``spine``: ``flexion`` (forward bend +, backward bend -), ``side_bend`` (toward the
  left +), ``rotation`` (chest turns to the left +), shared over lumbar and thoracic parts.
* ``neck``: ``flexion`` (chin down +), ``rotation`` (face turns left +).
* ``shoulder`` / ``hip``: ``flexion`` (limb forward and up +; 90 = level, 180 = overhead),
  ``abduction`` (limb out to its own side +), ``rotation`` (external +: the front of the limb
  turns outward).
* ``elbow`` / ``knee``: ``flexion`` (+ bends; a knee at 90 makes a right angle).
* ``ankle``: ``flexion`` (toes up +, pointed -).

A keyframe may give a joint for both sides (``hip = {...}``) and override one side
(``left_hip = {...}``). Sided exercises are drawn for the left side; the right side is the
mirror image.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .camera_schema import CameraRules
from .staging import Staging

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
Sentence = Annotated[str, Field(min_length=3, max_length=600)]
Target = Annotated[str, Field(min_length=2, max_length=40)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    STRETCH = "stretch"
    STRENGTH = "strength"
    MOTOR_CONTROL = "motor-control"
    MOBILITY = "mobility"
    AEROBIC = "aerobic"
    RELAXATION = "relaxation"


class Direction(StrEnum):
    FLEXION = "flexion"
    EXTENSION = "extension"
    ROTATION = "rotation"
    LATERAL = "lateral"
    NEUTRAL = "neutral"


class Contraindication(StrEnum):
    FLEXION_SENSITIVE = "flexion-sensitive"
    EXTENSION_SENSITIVE = "extension-sensitive"
    OSTEOPOROSIS = "osteoporosis"
    HIP_REPLACEMENT = "hip-replacement"
    KNEE_LIMITS = "knee-limits"
    WRIST_LIMITS = "wrist-limits"
    SHOULDER_LIMITS = "shoulder-limits"
    BALANCE = "balance"
    PREGNANCY = "pregnancy"


# Every tag that filters an exercise out must also be a caution the patient reads: a caution
# mentioning one of these words (lower case, matched anywhere in the sentence) covers the tag.
CAUTION_WORDS: dict[Contraindication, tuple[str, ...]] = {
    Contraindication.FLEXION_SENSITIVE: ("bending forward",),
    Contraindication.EXTENSION_SENSITIVE: ("leaning back", "bending back"),
    Contraindication.OSTEOPOROSIS: ("osteoporosis",),
    Contraindication.HIP_REPLACEMENT: ("hip replaced", "hip replacement"),
    Contraindication.KNEE_LIMITS: ("knee",),
    Contraindication.WRIST_LIMITS: ("wrist",),
    Contraindication.SHOULDER_LIMITS: ("shoulder",),
    Contraindication.BALANCE: ("balance", "unsteady"),
    Contraindication.PREGNANCY: ("pregnan",),
}


class Position(StrEnum):
    FLOOR = "floor"
    BED = "bed"
    CHAIR = "chair"
    STANDING = "standing"


class Surface(StrEnum):
    MAT = "mat"  # an exercise mat on the floor
    BED = "bed"  # a bed with a mattress
    CHAIR = "chair"  # sitting on (or holding) a chair
    FLOOR = "floor"  # standing on the bare floor


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"
    TOP = "top"
    THREE_QUARTER = "three-quarter"  # from the front, 45 degrees round toward the working side
    # and 10 up: sitting with the working ankle crossed over the other knee (the crossed leg is
    # in front, lying across that knee, and a lean forward from the hips shows)
    FRONT_HIGH = "front-high"  # from the front, 40 degrees round toward the other side and 35
    # up: from beyond the feet of someone lying on the back, the bent knees show as a peak and
    # a lying twist (knees rolling to the working side) sweeps across
    OBLIQUE = "oblique"  # 45 degrees round toward the working side, 30 up: someone lying on
    # one side seen from in front of them and beyond their feet (a top knee that opens shows),
    # or a seated turn toward the viewer
    SIDE_HIGH = "side-high"  # from the working side and 40 up: someone lying on the back with
    # the hands on the chest and tummy (the forearms cross the trunk instead of lying along
    # its outline)
    OTHER_SIDE = "other-side"  # the side view from the side that does not work: a bent leg
    # lying out to that side (sitting with one leg straight) shows in front of the straight leg
    OTHER_SIDE_HIGH = "other-side-high"  # the other side raised 30 degrees: someone lying on
    # the back pulling the leg that does not work toward the chest, the working ankle crossed
    # over its knee (the pulled thigh and the hands on it in front, the crossed shin above it)
    FRONT_ABOVE = "front-above"  # from the front, 25 round toward the other side and 18 up:
    # someone lying on one side facing the viewer with the knees bent behind them (the shins
    # show going back on the mat) who lifts the hips (low enough that the lift shows as a
    # line from the knees to the shoulders)


class Sides(StrEnum):
    NONE = "none"  # both sides at once, or no side at all
    EACH = "each"  # all repetitions on the left, then all on the right
    ALTERNATING = "alternating"  # left, right, left, right...


Angle = Annotated[float, Field(ge=-180, le=180)]


class PelvisAngles(Strict):
    pitch: Angle = 0
    roll: Angle = 0
    twist: Angle = 0


class SpineAngles(Strict):
    flexion: Angle = 0
    side_bend: Angle = 0
    rotation: Angle = 0


class NeckAngles(Strict):
    flexion: Annotated[float, Field(ge=-70, le=80)] = 0
    rotation: Annotated[float, Field(ge=-80, le=80)] = 0


class BallJoint(Strict):
    flexion: Angle = 0
    abduction: Angle = 0
    rotation: Angle = 0


class Hinge(Strict):
    flexion: Annotated[float, Field(ge=0, le=160)] = 0


class Ankle(Strict):
    flexion: Annotated[float, Field(ge=-60, le=40)] = 0


class Keyframe(Strict):
    """Joint angles for one moment of the movement; anything not given is neutral (0)."""

    pelvis: PelvisAngles = PelvisAngles()
    spine: SpineAngles = SpineAngles()
    neck: NeckAngles = NeckAngles()
    shoulder: BallJoint | None = None
    left_shoulder: BallJoint | None = None
    right_shoulder: BallJoint | None = None
    elbow: Hinge | None = None
    left_elbow: Hinge | None = None
    right_elbow: Hinge | None = None
    hip: BallJoint | None = None
    left_hip: BallJoint | None = None
    right_hip: BallJoint | None = None
    knee: Hinge | None = None
    left_knee: Hinge | None = None
    right_knee: Hinge | None = None
    ankle: Ankle | None = None
    left_ankle: Ankle | None = None
    right_ankle: Ankle | None = None

    def joint(self, name: str, side: str) -> Any:
        """The angles of ``side``'s ``name`` joint: the one-sided value, else the shared one."""
        value = getattr(self, f"{side}_{name}") or getattr(self, name)
        if value is not None:
            return value
        return {"shoulder": BallJoint, "hip": BallJoint, "elbow": Hinge, "knee": Hinge}.get(
            name, Ankle
        )()


class Pose(Strict):
    surface: Surface
    view: View
    start: Keyframe
    end: Keyframe
    # Figures (issue 12): contacts and props, in their own block; see staging.py.
    staging: Staging


class Dosage(Strict):
    hold_seconds: Annotated[int, Field(ge=1, le=900)]
    repetitions: Annotated[int, Field(ge=1, le=50)]
    sides: Sides = Sides.NONE
    rest_seconds: Annotated[int, Field(ge=0, le=300)] = 5


# --- voice: what the player says, for someone following with their eyes closed -------------
# Kept in its own block (``[positions.X.voice]``), apart from the pose data, so the two grow
# independently. See the "Voice" part of CONTRIBUTING.md's recipe.


class Need(StrEnum):
    """Things to have ready before starting, listed on Today and said in the introduction."""

    MAT = "mat"
    TOWEL = "towel"  # a towel or a belt
    PILLOW = "pillow"
    CUSHION = "cushion"
    CHAIR = "chair"
    WALL = "wall"
    BAND = "band"
    SHOES = "shoes"


class StartingPosture(StrEnum):
    """Where the body starts: what decides whether someone can get there on a bad day."""

    BACK = "back"
    SIDE = "side"
    FACE_DOWN = "face-down"
    SITTING = "sitting"
    KNEELING = "kneeling"
    HANDS_AND_KNEES = "hands-and-knees"
    STANDING = "standing"


# How a voice's ``posture`` sentence opens, for each starting posture (first match wins).
POSTURE_OPENINGS: tuple[tuple[StartingPosture, str], ...] = (
    (StartingPosture.BACK, "lie on your back"),
    (StartingPosture.FACE_DOWN, "lie face down"),
    (StartingPosture.SIDE, "lie on your left side"),
    (StartingPosture.SIDE, "lie on your right side"),
    (StartingPosture.SIDE, "lie on your side"),
    (StartingPosture.SITTING, "sit"),
    (StartingPosture.HANDS_AND_KNEES, "get onto your hands and knees"),
    (StartingPosture.HANDS_AND_KNEES, "kneel on a mat on your hands and knees"),
    (StartingPosture.HANDS_AND_KNEES, "kneel on your hands and knees"),
    (StartingPosture.KNEELING, "kneel"),
    (StartingPosture.STANDING, "stand"),
)

Spoken = Annotated[str, Field(min_length=3, max_length=160)]
SideName = Annotated[str, Field(min_length=3, max_length=60)]
DEFAULT_SETTLE_SECONDS = 5
DEFAULT_MOVE_IN_SECONDS = 3
DEFAULT_SWITCH_SECONDS = 5


class Voice(Strict):
    # The starting position as one spoken sentence; it opens the exercise's introduction.
    posture: Spoken
    needs: list[Need] = []
    # Time after the introduction to get into the starting position.
    settle_seconds: Annotated[int, Field(ge=1, le=60)] = DEFAULT_SETTLE_SECONDS
    # Before every hold the voice says the position's cue, and the hold's timing starts only
    # after this many seconds of moving into it.
    move_in_seconds: Annotated[int, Field(ge=1, le=20)] = DEFAULT_MOVE_IN_SECONDS
    # Sided positions: each side as people say it ("left leg behind"), and how to move over to
    # it ("Stand up carefully and swap legs, so your right leg is behind").
    left: SideName | None = None
    right: SideName | None = None
    to_left: Spoken | None = None
    to_right: Spoken | None = None
    # Time to change sides when all of one side is done first: turning over on a bed takes time.
    switch_seconds: Annotated[int, Field(ge=1, le=60)] = DEFAULT_SWITCH_SECONDS
    # Timed activities: the verb a voice uses instead of "Hold" ("Walk" -> "Walk for 5 minutes").
    activity: Annotated[str, Field(min_length=3, max_length=60)] | None = None
    # A translated voice (library/translations.py) keeps the English posture it was made
    # from: the starting position is read from the English opening words.
    _english_posture: str | None = PrivateAttr(default=None)

    def keep_starting_posture_of(self, english: Voice) -> None:
        self._english_posture = english._english_posture or english.posture

    @property
    def starts(self) -> StartingPosture | None:
        """The starting position, read from the opening words of the English ``posture``."""
        opening = (self._english_posture or self.posture).lower()
        for posture, words in POSTURE_OPENINGS:
            if opening.startswith(words):
                return posture
        return None

    def missing_side_words(self) -> list[str]:
        return [
            name for name in ("left", "right", "to_left", "to_right") if not getattr(self, name)
        ]

    @field_validator("posture")
    @classmethod
    def posture_opens_with_a_known_position(cls, value: str) -> str:
        opening = value.lower()
        if not any(opening.startswith(words) for _posture, words in POSTURE_OPENINGS):
            known = ", ".join(sorted({f'"{words.capitalize()}"' for _p, words in POSTURE_OPENINGS}))
            raise ValueError(f"start with the position, one of: {known}")
        return value


class PositionVariant(Strict):
    start: Sentence  # the starting position, in one or two sentences
    steps: Annotated[list[Sentence], Field(min_length=1, max_length=8)]
    feel: Sentence  # what the person should feel, e.g. "a mild stretch behind the thigh"
    cue: Annotated[str, Field(min_length=3, max_length=120)]  # the key instruction a voice says
    pose: Pose
    dosage: Dosage | None = None  # only when this position needs a different default
    voice: Voice  # what the player says (its own block, see above)
    # Camera coach (issue 18): how the phone sees this position and when the patient is in it;
    # see camera_schema.py and camera.py. Optional: positions without it have no camera mode.
    camera: CameraRules | None = None


class Exercise(Strict):
    slug: Slug
    name: Annotated[str, Field(min_length=3, max_length=80)]
    summary: Annotated[str, Field(min_length=10, max_length=160)]
    kind: Kind
    direction: Direction
    targets: Annotated[list[Target], Field(min_length=1)]
    why: Sentence
    cautions: Annotated[list[Sentence], Field(min_length=1)]
    contraindications: list[Contraindication] = []
    dosage: Dosage
    positions: dict[Position, PositionVariant]
    source: Annotated[str, Field(max_length=300)] = ""  # where the dosage facts come from

    @field_validator("positions")
    @classmethod
    def at_least_one_position(
        cls, value: dict[Position, PositionVariant]
    ) -> dict[Position, PositionVariant]:
        if not value:
            raise ValueError("give at least one position (floor, bed, chair or standing)")
        return value

    @model_validator(mode="after")
    def targets_are_lowercase(self) -> Exercise:
        for target in self.targets:
            if target != target.lower():
                raise ValueError(f"targets are lower case words, got {target!r}")
        return self

    @model_validator(mode="after")
    def every_tag_has_a_caution(self) -> Exercise:
        text = " ".join(self.cautions).lower()
        for tag in self.contraindications:
            words = CAUTION_WORDS[tag]
            if not any(word in text for word in words):
                said = " or ".join(f"'{word}'" for word in words)
                raise ValueError(
                    f"contraindications lists {tag.value!r}, but no caution tells the patient "
                    f"about it: add a caution that mentions {said}"
                )
        return self

    @model_validator(mode="after")
    def sided_positions_name_their_sides(self) -> Exercise:
        for position, variant in self.positions.items():
            if self.dosage_for(position).sides == Sides.NONE:
                continue
            missing = variant.voice.missing_side_words()
            if missing:
                fields = ", ".join(f"positions.{position.value}.voice.{name}" for name in missing)
                raise ValueError(
                    f"{position.value} is done one side at a time, so the voice must name each "
                    f"side and say how to move over to it: add {fields}"
                )
        return self

    def dosage_for(self, position: Position) -> Dosage:
        variant = self.positions[position]
        return variant.dosage or self.dosage

    def sides_mismatch(self, position: Position, sides: Sides) -> str | None:
        """Why ``sides`` does not suit the exercise in ``position``, else None.

        "one_side_at_a_time": it is done one side at a time, so a routine must give a side
        order ("each" or "alternating"), or no voice says which side. "both_sides_at_once":
        it is not, so "none", or the voice would say "left side" for a two-sided stretch.
        """
        one_sided = self.dosage_for(position).sides != Sides.NONE
        if one_sided and sides == Sides.NONE:
            return "one_side_at_a_time"
        if not one_sided and sides != Sides.NONE:
            return "both_sides_at_once"
        return None


class LibraryError(Exception):
    """One or more data files are invalid; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def describe_validation_error(path: Path, error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        where = _location(tuple(problem["loc"]))
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see CONTRIBUTING.md for the fields)"
        elif problem["type"] == "missing":
            message = "this field is required"
        given = problem.get("input")
        if problem["type"] not in {"missing", "extra_forbidden"} and not isinstance(
            given, dict | list
        ):
            message += f" (got {given!r})"
        lines.append(f"{path}: {where}: {message}")
    return lines


SlugModel = TypeVar("SlugModel", bound=BaseModel)


def parse_data_file(path: Path, model: type[SlugModel]) -> tuple[SlugModel | None, list[str]]:
    """Read a TOML data file into ``model`` (which has a ``slug`` matching the file name).

    Returns the value, or None with one readable line per problem naming file and field.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{path}: not valid TOML: {exc}"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path}: cannot read the file: {exc}"]
    try:
        value = model.model_validate(raw)
    except ValidationError as exc:
        return None, describe_validation_error(path, exc)
    slug = getattr(value, "slug", None)
    if slug != path.stem:
        return None, [f"{path}: slug: must match the file name {path.stem!r} (got {slug!r})"]
    return value, []


def load_exercise_file(path: Path) -> Exercise:
    """Read and validate one exercise file; raise LibraryError naming file and field."""
    exercise, problems = parse_data_file(path, Exercise)
    if exercise is None:
        raise LibraryError(problems)
    return exercise


DATA_DIR = Path(__file__).resolve().parent / "data"


def load_library(directory: Path = DATA_DIR) -> dict[str, Exercise]:
    """Every exercise in ``directory`` by slug; all problems of all files in one LibraryError."""
    exercises: dict[str, Exercise] = {}
    problems: list[str] = []
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if directory.is_file():
        files = [directory]
    if not files:
        raise LibraryError([f"{directory}: no exercise files (*.toml) found"])
    for path in files:
        try:
            exercise = load_exercise_file(path)
        except LibraryError as exc:
            problems.extend(exc.problems)
            continue
        exercises[exercise.slug] = exercise
    if problems:
        raise LibraryError(problems)
    return exercises
