"""How a figure is staged: which body points rest on which surface, and which props are drawn.

Pure: no Django imports. This block is the figures' part of a position's ``pose`` in the data
(``[positions.NAME.pose.staging]``); :mod:`scene` reads it to place the body so that each named
point touches its surface, and to draw the props. Kept apart from :mod:`schema` on purpose.

In a data file::

    [positions.floor.pose.staging]
    props = ["towel"]
    start = { mat = ["left_knee", "right_heel"] }
    end = { mat = ["left_knee", "right_heel"], wall = ["left_elbow"] }

Body points are the skeleton's landmark names (``BODY_POINTS``): the 33 BlazePose names plus a
few of our own. A point "touches" when its skin (the landmark's centre less the limb's half
thickness) is within a small tolerance of the surface.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class ContactSurface(StrEnum):
    FLOOR = "floor"  # the bare floor (feet beside a bed or chair, or standing)
    MAT = "mat"  # an exercise mat on the floor
    BED = "bed"  # the top of the mattress
    CHAIR_SEAT = "chair-seat"
    CHAIR_BACK = "chair-back"  # leaning on the backrest, or a hand on its top rail
    WALL = "wall"
    PILLOW = "pillow"  # a pillow or cushion on the surface below


class Prop(StrEnum):
    TOWEL = "towel"  # a towel or belt looped round a foot, held in the hands
    BELT = "belt"
    BAND = "band"  # a resistance band round both thighs above the knees
    WALL = "wall"
    PILLOW = "pillow"
    CHAIR = "chair"
    BED_EDGE = "bed-edge"  # a leg hangs over the edge of the bed


_FACE = ["nose", "mouth_left", "mouth_right"]
for _s in ("left", "right"):
    _FACE += [f"{_s}_eye_inner", f"{_s}_eye", f"{_s}_eye_outer", f"{_s}_ear"]
_SIDED = [
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
    # our own
    "hand_tip",
    "palm",
    "waist",
    "chest",
]
BODY_POINTS: frozenset[str] = frozenset(
    [
        *_FACE,
        *(f"{s}_{n}" for s in ("left", "right") for n in _SIDED),
        "mid_hip",
        "sacrum",
        "waist",
        "neck",
        "head_base",
        "head_centre",
        "head_top",
    ]
)

Points = Annotated[list[str], Field(min_length=1, max_length=12)]
Contacts = dict[ContactSurface, Points]


class Staging(BaseModel):
    """What rests on what at the start and at the end, and the props to draw."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Contacts
    end: Contacts
    props: list[Prop] = []

    @field_validator("start", "end")
    @classmethod
    def points_are_landmarks(cls, value: Contacts) -> Contacts:
        for surface, points in value.items():
            for point in points:
                if point not in BODY_POINTS:
                    raise ValueError(
                        f"{point!r} on {surface.value!r} is not a body point: use a landmark "
                        "name such as 'left_knee', 'right_heel', 'mid_hip' or 'head_centre'"
                    )
        if not value:
            raise ValueError("name at least one body point that rests on a surface")
        return value

    @model_validator(mode="after")
    def walls_and_pillows_are_props(self) -> Staging:
        for surface, prop in (
            (ContactSurface.WALL, Prop.WALL),
            (ContactSurface.PILLOW, Prop.PILLOW),
        ):
            used = surface in self.start or surface in self.end
            if used and prop not in self.props:
                raise ValueError(
                    f"a body point rests on the {surface.value}, so add {prop.value!r} to props"
                )
        return self


def mirrored(contacts: Contacts) -> Contacts:
    """The same contacts with left and right swapped (the other side of a sided exercise)."""

    def swap(name: str) -> str:
        if name.startswith("left_"):
            return "right_" + name.removeprefix("left_")
        if name.startswith("right_"):
            return "left_" + name.removeprefix("right_")
        return (
            name.replace("mouth_left", "mouth_X")
            .replace("mouth_right", "mouth_left")
            .replace("mouth_X", "mouth_right")
        )

    return {surface: [swap(p) for p in points] for surface, points in contacts.items()}
