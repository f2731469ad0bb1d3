"""The words for positions, sides, kinds and contraindications: the one place they are written.

Pages, forms, printouts and figure titles all take their wording from here, translated lazily
so a module-level table follows the language of each request. The player's spoken phrases
("Hamstring stretch, on the bed") stay with the other spoken lines in the pure
``routines/timeline.py``, which compiles them without Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .schema import Contraindication, Dosage, Keyframe, Kind, Position, PositionVariant, Sides


@dataclass(frozen=True)
class Badge:
    """A value and its words: a filter choice or a tag on a card."""

    value: str
    label: str


# --- body areas ---------------------------------------------------------------------------------

# What an exercise works on (the data files' ``targets``): the filter's values stay these
# English words, and pages show them through this table. ``tests/test_languages.py`` fails
# when a data file names an area that is not here.
AREA_LABELS: dict[str, Promise] = {
    "back muscles": gettext_lazy("back muscles"),
    "breathing": gettext_lazy("breathing"),
    "buttocks": gettext_lazy("buttocks"),
    "deep tummy muscles": gettext_lazy("deep tummy muscles"),
    "front of thigh": gettext_lazy("front of thigh"),
    "hamstrings": gettext_lazy("hamstrings"),
    "heart and lungs": gettext_lazy("heart and lungs"),
    "hip flexors": gettext_lazy("hip flexors"),
    "hips": gettext_lazy("hips"),
    "lower back": gettext_lazy("lower back"),
    "side of the hip": gettext_lazy("side of the hip"),
    "side of the trunk": gettext_lazy("side of the trunk"),
    "thighs": gettext_lazy("thighs"),
    "tummy muscles": gettext_lazy("tummy muscles"),
    "upper back": gettext_lazy("upper back"),
    "whole body": gettext_lazy("whole body"),
    "whole spine": gettext_lazy("whole spine"),
}


def area_label(target: str) -> str:
    """A body area as the reader's language says it (the word itself if it is not listed)."""
    return str(AREA_LABELS.get(target, target))


# --- positions ----------------------------------------------------------------------------------

POSITION_LABELS: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("Floor"),
    Position.BED: gettext_lazy("Bed"),
    Position.CHAIR: gettext_lazy("Chair"),
    Position.STANDING: gettext_lazy("Standing"),
}
POSITION_HEADINGS: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("On the floor"),
    Position.BED: gettext_lazy("In bed"),
    Position.CHAIR: gettext_lazy("On a chair"),
    Position.STANDING: gettext_lazy("Standing up"),
}
# After an exercise's name in a figure's title: "Cat-camel, on the floor, left side".
FIGURE_PLACES: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("on the floor"),
    Position.BED: gettext_lazy("on the bed"),
    Position.CHAIR: gettext_lazy("with a chair"),
    Position.STANDING: gettext_lazy("standing"),
}
# The patient's own answer (accounts' PatientProfile.Position), in a clinician's words.
PREFERS: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("Prefers the floor"),
    Position.BED: gettext_lazy("Prefers bed for now"),
    Position.CHAIR: gettext_lazy("Prefers a chair"),
}


# Where an exercise moves to or from: "Child's pose moves from the floor to the bed".
MOVE_PLACES: dict[str, Promise] = {
    Position.FLOOR: gettext_lazy("the floor"),
    Position.BED: gettext_lazy("the bed"),
    Position.CHAIR: gettext_lazy("a chair"),
    Position.STANDING: gettext_lazy("standing"),
}


def move_place(position: str) -> str:
    return str(MOVE_PLACES.get(position, position))


def position_word(position: str) -> str:
    """ "floor", "bed"…: the position's label inside a sentence."""
    return str(POSITION_LABELS.get(position, position)).lower()


# --- sides --------------------------------------------------------------------------------------

SIDES_WORDS: dict[str, Promise] = {
    Sides.NONE: gettext_lazy("no sides"),
    Sides.EACH: gettext_lazy("each side in turn"),
    Sides.ALTERNATING: gettext_lazy("alternating"),
}
SIDES_CHOICES: list[tuple[str, Promise]] = [
    (Sides.NONE.value, gettext_lazy("None")),
    (Sides.EACH.value, gettext_lazy("Each side")),
    (Sides.ALTERNATING.value, gettext_lazy("Alternate")),
]
SIDE_WORDS: dict[str, Promise] = {
    "left": gettext_lazy("left"),
    "right": gettext_lazy("right"),
}
SIDE_PHRASES: dict[str, Promise] = {
    "left": gettext_lazy("left side"),
    "right": gettext_lazy("right side"),
}

_LEG_JOINTS = {"hip", "knee", "ankle"}


def sided_limb(variants: list[PositionVariant]) -> str:
    """'leg' or 'side': what a one-sided exercise switches between, read from its pose.

    A pose that sets only leg joints one side at a time (the other side mirrors later) is done
    "each leg in turn"; anything else, such as a side plank or a twist of the trunk, is done
    "each side". Arms are not singled out: a one-armed pose still reads best as "each side".
    """
    sided: set[str] = set()
    for variant in variants:
        for keyframe in (variant.pose.start, variant.pose.end):
            for name in Keyframe.model_fields:
                side, _sep, joint = name.partition("_")
                if side in {"left", "right"} and getattr(keyframe, name) is not None:
                    sided.add(joint)
    if sided and sided <= _LEG_JOINTS:
        return "leg"
    return "side"


def _sides_words(sides: Sides, limb: str, *, short: bool) -> str:
    if sides == Sides.EACH:
        if short:
            return _("each leg") if limb == "leg" else _("each side")
        return _("each leg in turn") if limb == "leg" else _("each side in turn")
    if sides == Sides.ALTERNATING:
        return _("alternating legs") if limb == "leg" else _("alternating sides")
    return ""


# --- kinds and contraindications ----------------------------------------------------------------

KIND_LABELS: dict[str, Promise] = {
    Kind.STRETCH: gettext_lazy("Stretch"),
    Kind.STRENGTH: gettext_lazy("Strength"),
    Kind.MOTOR_CONTROL: gettext_lazy("Motor control"),
    Kind.MOBILITY: gettext_lazy("Mobility"),
    Kind.AEROBIC: gettext_lazy("Aerobic"),
    Kind.RELAXATION: gettext_lazy("Relaxation"),
}
CONTRAINDICATION_LABELS: dict[str, Promise] = {
    Contraindication.FLEXION_SENSITIVE: gettext_lazy(
        "back pain that gets worse when you bend forward"
    ),
    Contraindication.EXTENSION_SENSITIVE: gettext_lazy(
        "back pain that gets worse when you lean backward"
    ),
    Contraindication.OSTEOPOROSIS: gettext_lazy("osteoporosis (fragile bones)"),
    Contraindication.HIP_REPLACEMENT: gettext_lazy("a hip replacement"),
    Contraindication.KNEE_LIMITS: gettext_lazy("painful or stiff knees"),
    Contraindication.WRIST_LIMITS: gettext_lazy("painful or weak wrists"),
    Contraindication.SHOULDER_LIMITS: gettext_lazy("painful or stiff shoulders"),
    Contraindication.BALANCE: gettext_lazy("unsteady balance or a risk of falling"),
    Contraindication.PREGNANCY: gettext_lazy("pregnancy"),
}
# The builder's "avoid" switches: a clinician's shorthand for the same contraindications.
AVOID_LABELS: dict[str, Promise] = {
    Contraindication.FLEXION_SENSITIVE: gettext_lazy("No flexion"),
    Contraindication.EXTENSION_SENSITIVE: gettext_lazy("No extension"),
    Contraindication.OSTEOPOROSIS: gettext_lazy("Osteoporosis"),
    Contraindication.HIP_REPLACEMENT: gettext_lazy("Hip replacement"),
    Contraindication.KNEE_LIMITS: gettext_lazy("Knees"),
    Contraindication.WRIST_LIMITS: gettext_lazy("Wrists"),
}


# --- dosage -------------------------------------------------------------------------------------


def _seconds_words(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def dosage_words(dosage: Dosage, limb: str, kind: str = "") -> str:
    """The dosage as a sentence: "Hold 10 seconds, 5 times, each leg in turn, 5 seconds rest"."""
    duration = _seconds_words(dosage.hold_seconds)
    if kind == Kind.AEROBIC:
        first = _("Keep going for %(duration)s") % {"duration": duration}
    else:
        first = _("Hold %(duration)s") % {"duration": duration}
    parts = [first]
    if dosage.repetitions > 1:
        parts.append(
            ngettext("%(n)d time", "%(n)d times", dosage.repetitions) % {"n": dosage.repetitions}
        )
    sides = _sides_words(dosage.sides, limb, short=False)
    if sides:
        parts.append(sides)
    if dosage.rest_seconds and dosage.repetitions > 1:
        parts.append(_("%(duration)s rest") % {"duration": _seconds_words(dosage.rest_seconds)})
    return ", ".join(parts)


def dosage_short(dosage: Dosage, limb: str) -> str:
    """The dosage at a glance: "10 s × 5, each leg"."""
    if dosage.hold_seconds >= 60 and dosage.hold_seconds % 60 == 0:
        text = _("%(n)d min") % {"n": dosage.hold_seconds // 60}
    else:
        text = _("%(n)d s") % {"n": dosage.hold_seconds}
    if dosage.repetitions > 1:
        text = _("%(hold)s × %(repetitions)d") % {"hold": text, "repetitions": dosage.repetitions}
    sides = _sides_words(dosage.sides, limb, short=True)
    return f"{text}, {sides}" if sides else text
