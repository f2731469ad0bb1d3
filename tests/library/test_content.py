"""What the physiotherapist's review of the library flagged, kept fixed (issue 12)."""

from __future__ import annotations

import pytest

from backstretch.library import schema
from backstretch.library.schema import CAUTION_WORDS, Position, Sides


@pytest.fixture(scope="module")
def library() -> dict[str, schema.Exercise]:
    return schema.load_library()


REVIEWED = {
    "rotation-stretch": "osteoporosis",
    "clamshell": "hip-replacement",
    "prone-press-up": "pregnancy",
    "sit-to-stand": "balance",
    "bird-dog": "balance",
    "hamstring-stretch": "flexion-sensitive",
}


@pytest.mark.parametrize(("slug", "tag"), sorted(REVIEWED.items()))
def test_a_patient_reads_why_a_tag_filters_the_exercise_out(library, slug, tag):
    exercise = library[slug]
    tag = schema.Contraindication(tag)
    assert tag in exercise.contraindications
    cautions = " ".join(exercise.cautions).lower()
    assert any(word in cautions for word in CAUTION_WORDS[tag]), exercise.cautions


def test_bird_dog_tells_a_sore_knee_what_to_do(library):
    assert "knee" in " ".join(library["bird-dog"].cautions).lower()


def test_no_caution_reads_like_a_diagnosis(library):
    for slug, exercise in library.items():
        for caution in exercise.cautions:
            assert " is a nerve" not in caution and "means a nerve" not in caution, slug


def test_bed_hamstring_stretch_is_the_guides_long_sit_without_a_towel(library):
    exercise = library["hamstring-stretch"]
    bed = exercise.positions[Position.BED]
    floor = exercise.positions[Position.FLOOR]
    words = " ".join([bed.start, *bed.steps]).lower()
    assert bed.start.startswith("Sit")
    assert "towel" not in words and "belt" not in words
    # The same sitting pose as on the floor, drawn on the bed.
    assert bed.pose.surface == schema.Surface.BED
    assert (bed.pose.start, bed.pose.end) == (floor.pose.start, floor.pose.end)


def test_curl_up_steps_swap_the_bent_knee_as_the_voice_does(library):
    exercise = library["modified-curl-up"]
    for position, variant in exercise.positions.items():
        assert exercise.dosage_for(position).sides == Sides.EACH
        steps = " ".join(variant.steps).lower()
        assert "halfway" not in steps
        assert "left knee" in steps and "right knee" in steps, position
