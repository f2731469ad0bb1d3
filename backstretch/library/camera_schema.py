"""The shape of an exercise position's camera rules (issue 18), validated on load.

Pure: no Django imports. A position's ``[positions.X.camera]`` table says how the phone sees the
patient and which joint checks tell that they are in the stretch; :mod:`camera` derives target
angles from the position's own end pose, checks the rules against the figure's start and end
poses, and compiles them into the JSON the browser's evaluator
(``static/player/coach-evaluator.js``) reads. See docs/camera-coach.md.

Measures, in degrees, from BlazePose landmarks (``mid_hip``, ``mid_shoulder``, ``mid_knee``…
are the midpoint of the left and right landmark of that name):

* ``angle = [a, b, c]``: the angle at ``b`` between ``b→a`` and ``b→c``, 0..180 (a straight
  knee, hip–knee–ankle, is 180);
* ``incline = [a, b]``: the angle of the segment ``a→b`` to straight up, 0..180 (0 = ``b``
  right above ``a``, 90 = level, 180 = right below).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# The 33 BlazePose landmarks, in the model's index order.
BLAZEPOSE: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
# Midpoints the evaluator computes: mid_hip is halfway between left_hip and right_hip.
MIDPOINTS: tuple[str, ...] = tuple(
    f"mid_{name.removeprefix('left_')}" for name in BLAZEPOSE if name.startswith("left_")
)
POINTS = frozenset(BLAZEPOSE) | frozenset(MIDPOINTS)


def landmarks_of(point: str) -> tuple[str, ...]:
    """The BlazePose landmarks a point is made of (both sides for a midpoint)."""
    if point.startswith("mid_"):
        part = point.removeprefix("mid_")
        return (f"left_{part}", f"right_{part}")
    return (point,)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the message catalogue and gives it back untranslated: Django's
    ``makemessages`` extracts every ``gettext_noop("...")`` call, and the library stays free of
    Django. Whoever shows or speaks the sentence translates it then (``gettext(CUES[key])``)."""
    return message


# Corrections the coach may give, by key: the evaluator reports the key, the player says the
# sentence in the patient's language. Short, one action each, never "push".
CUES: dict[str, str] = {
    "step-into-view": gettext_noop("Move so the phone can see all of you"),
    "show-whole-body": gettext_noop("The phone cannot see all of you: move a little further away"),
    "sit-hips-back": gettext_noop("Sit your hips back toward your heels"),
    "ease-off": gettext_noop("Ease off a little"),
    "lean-forward-from-hips": gettext_noop("Lean forward a little more from your hips"),
    "straighten-knee": gettext_noop("Keep your knee straight"),
    "sit-up-taller": gettext_noop("Sit up a little taller"),
    "lean-toward-front-knee": gettext_noop("Lean gently toward your front knee"),
    "bend-front-knee": gettext_noop("Bend your front knee a little more"),
    "open-front-knee": gettext_noop("Move your front foot a little further forward"),
    "lower-knees-to-side": gettext_noop("Let your knees lower slowly to the side"),
    "keep-shoulders-down": gettext_noop("Keep both shoulders resting on the floor"),
    "lift-hips": gettext_noop("Squeeze your buttocks and lift your hips"),
    "lower-hips-a-little": gettext_noop("Lower your hips a little"),
    "feet-closer": gettext_noop("Bring your feet a little closer to you"),
    "feet-further": gettext_noop("Move your feet a little further away"),
    "straighten-leg-back": gettext_noop("Straighten your leg behind you"),
    "lift-leg-to-hip-height": gettext_noop("Lift your leg to hip height"),
    "lower-leg-to-hip-height": gettext_noop("Lower your leg to hip height"),
    "lift-arm-to-shoulder-height": gettext_noop("Reach your arm forward at shoulder height"),
    "lower-arm-to-shoulder-height": gettext_noop("Lower your arm to shoulder height"),
    "keep-back-level": gettext_noop("Keep your back level, like a table"),
    "stand-up-tall": gettext_noop("Stand up tall"),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CameraView(StrEnum):
    SIDE = "side"  # the phone sees the body side on (bending and straightening show)
    FEET = "feet"  # the phone looks from beyond the feet toward the head (lying twists)


Point = Annotated[str, Field(min_length=3, max_length=30)]
Degrees = Annotated[float, Field(ge=0, le=180)]
CueKey = Annotated[str, Field(min_length=3, max_length=40)]


class CameraCheck(Strict):
    """One measure of the body that must be in range for the patient to be in position."""

    name: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$", max_length=30)]
    angle: Annotated[list[Point], Field(min_length=3, max_length=3)] | None = None
    incline: Annotated[list[Point], Field(min_length=2, max_length=2)] | None = None
    # Either a target taken from the position's own end pose, give or take ``tolerance``…
    target: Literal["end"] | None = None
    tolerance: Annotated[float, Field(ge=5, le=45)] | None = None
    # …or a fixed range [low, high].
    range: Annotated[list[Degrees], Field(min_length=2, max_length=2)] | None = None
    # Once in range, a measure may drift this far outside it before the hold breaks.
    hysteresis: Annotated[float, Field(ge=1, le=15)] = 5
    when_low: CueKey  # the correction when the measure is below its range
    when_high: CueKey  # …and above it

    @field_validator("angle", "incline")
    @classmethod
    def known_points(cls, value: list[str] | None) -> list[str] | None:
        for point in value or []:
            if point not in POINTS:
                raise ValueError(
                    f"{point!r} is not a BlazePose landmark (left_knee, right_hip…) "
                    "or a midpoint (mid_hip, mid_shoulder…)"
                )
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a measure needs distinct points")
        return value

    @field_validator("when_low", "when_high")
    @classmethod
    def known_cue(cls, value: str) -> str:
        if value not in CUES:
            raise ValueError(f"{value!r} is not a known correction; see camera_schema.CUES")
        return value

    @model_validator(mode="after")
    def one_measure_one_target(self) -> CameraCheck:
        if (self.angle is None) == (self.incline is None):
            raise ValueError(f"check {self.name!r}: give exactly one of angle or incline")
        if (self.range is None) == (self.target is None):
            raise ValueError(f"check {self.name!r}: give either range or target (not both)")
        if self.target is not None and self.tolerance is None:
            raise ValueError(f"check {self.name!r}: a target needs a tolerance (degrees)")
        if self.range is not None:
            if self.tolerance is not None:
                raise ValueError(f"check {self.name!r}: tolerance goes with target, not range")
            low, high = self.range
            if high - low < 2 * self.hysteresis:
                raise ValueError(
                    f"check {self.name!r}: range {low:g}..{high:g} is narrower than twice "
                    f"its hysteresis ({self.hysteresis:g}); camera angles are off by several "
                    "degrees, widen it"
                )
        return self

    @property
    def points(self) -> list[str]:
        return list(self.angle or self.incline or [])


class CameraRules(Strict):
    view: CameraView
    # Where to put the phone, in words for the patient (translated like the other words).
    phone: Annotated[str, Field(min_length=10, max_length=200)]
    min_visibility: Annotated[float, Field(ge=0.2, le=0.95)] = 0.5
    # Landmarks that must be seen besides those the checks use.
    required: list[Point] = []
    # Time every check must stay in range before the hold counts, and how long the body may
    # be unseen (or out of range) without breaking a hold.
    enter_seconds: Annotated[float, Field(ge=0.1, le=5)] = 0.5
    dropout_seconds: Annotated[float, Field(ge=0, le=3)] = 0.5
    checks: Annotated[list[CameraCheck], Field(min_length=1, max_length=6)]

    @field_validator("required")
    @classmethod
    def known_landmarks(cls, value: list[str]) -> list[str]:
        for point in value:
            if point not in POINTS:
                raise ValueError(f"{point!r} is not a BlazePose landmark or a midpoint")
        return value

    @model_validator(mode="after")
    def distinct_check_names(self) -> CameraRules:
        names = [check.name for check in self.checks]
        if len(set(names)) != len(names):
            raise ValueError("each check needs a name of its own")
        return self
