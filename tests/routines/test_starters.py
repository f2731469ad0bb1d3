"""The self-guided starter routines: the seed's stretches (or their bed and chair forms) with
gentle strength, control work and a short walk, in about 10 to 12 minutes."""

from __future__ import annotations

import pytest

from backstretch.library.schema import Kind, load_library
from backstretch.routines.services import STARTER_TEMPLATES
from backstretch.routines.templates import TEMPLATES_DIR, load_templates, resolve_items
from backstretch.routines.timeline import compile_timeline

LIBRARY = load_library()
TEMPLATES = load_templates(TEMPLATES_DIR, LIBRARY)
SEED = {"rotation-stretch", "childs-pose", "hamstring-stretch", "hip-flexor-stretch"}
# The chair forms of the seed's stretches, as the exercise library has them.
SEED_IN_A_CHAIR = {
    "seated-trunk-rotation",
    "seated-forward-bend",
    "hamstring-stretch",
    "hip-flexor-stretch",
}


def test_every_preferred_position_has_its_own_starter() -> None:
    assert STARTER_TEMPLATES == {
        "floor": "starter-floor",
        "bed": "starter-bed",
        "chair": "starter-chair",
    }
    assert set(STARTER_TEMPLATES.values()) <= set(TEMPLATES)


@pytest.mark.parametrize("position", ["floor", "bed", "chair"])
def test_a_starter_mixes_stretches_strength_control_and_a_walk_in_ten_to_twelve_minutes(
    position: str,
) -> None:
    items = resolve_items(TEMPLATES[STARTER_TEMPLATES[position]], LIBRARY)
    kinds = {LIBRARY[item.exercise].kind for item in items}
    assert {Kind.STRETCH, Kind.STRENGTH, Kind.MOTOR_CONTROL, Kind.AEROBIC} <= kinds
    # Everything where the patient said, except the walk, which is on their feet.
    assert {item.position for item in items if item.exercise != "walking"} == {position}
    assert items[-1].exercise == "walking" and items[-1].position == "standing"
    assert 4 * 60 <= items[-1].hold_seconds <= 5 * 60
    seconds = compile_timeline(items).total_seconds
    assert 10 * 60 <= seconds <= 12 * 60, f"{position}: {seconds / 60:.1f} minutes"


@pytest.mark.parametrize("position", ["floor", "bed"])
def test_floor_and_bed_starters_keep_the_seed_four(position: str) -> None:
    items = resolve_items(TEMPLATES[STARTER_TEMPLATES[position]], LIBRARY)
    assert {item.exercise for item in items} >= SEED
    for item in items:
        if item.exercise in SEED:  # the seed's hold, fewer repetitions
            assert (
                item.hold_seconds == LIBRARY[item.exercise].dosage_for(item.position).hold_seconds
            )


def test_the_chair_starter_has_the_seed_stretches_chair_forms_and_nothing_on_the_floor() -> None:
    items = resolve_items(TEMPLATES["starter-chair"], LIBRARY)
    assert {item.exercise for item in items} >= SEED_IN_A_CHAIR
    for item in items:
        posture = item.voice.posture.lower()
        assert "kneel" not in posture and "hands and knees" not in posture
        assert not posture.startswith("lie"), item.exercise
