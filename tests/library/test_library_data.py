"""The shipped exercise library: what patients, clinicians and the player rely on.

Plain schema loading; no database. The last tests feed broken files to the loader and to
``backstretch library check`` and expect each error to name the file, the field and the fault.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backstretch.library import schema
from backstretch.library.schema import Kind, LibraryError, Position, Sides

SEED_DOSAGE = {
    # slug: (hold seconds, repetitions, sides), exactly as the clinic guide gives them
    "rotation-stretch": (5, 10, Sides.ALTERNATING),
    "childs-pose": (10, 5, Sides.NONE),
    "hamstring-stretch": (10, 5, Sides.EACH),
    "hip-flexor-stretch": (10, 5, Sides.EACH),
}


@pytest.fixture(scope="module")
def library() -> dict[str, schema.Exercise]:
    return schema.load_library()


@pytest.mark.parametrize("slug", sorted(SEED_DOSAGE))
def test_seed_stretches_keep_the_guides_dosage_in_every_position(library, slug):
    hold, reps, sides = SEED_DOSAGE[slug]
    exercise = library[slug]
    assert exercise.kind == Kind.STRETCH
    assert {Position.FLOOR, Position.BED} <= set(exercise.positions)
    for position in exercise.positions:
        dosage = exercise.dosage_for(position)
        assert (dosage.hold_seconds, dosage.repetitions, dosage.sides) == (hold, reps, sides), (
            f"{slug} in position {position}"
        )


def test_bed_variants_of_seed_stretches_are_drawn_on_a_bed(library):
    for slug in SEED_DOSAGE:
        assert library[slug].positions[Position.BED].pose.surface == schema.Surface.BED


def test_library_is_big_enough(library):
    assert len(library) >= 22


def test_every_kind_of_exercise_is_represented(library):
    assert {e.kind for e in library.values()} == set(Kind)


def test_bed_and_chair_variants_are_plentiful(library):
    with_bed = [s for s, e in library.items() if Position.BED in e.positions]
    with_chair = [s for s, e in library.items() if Position.CHAIR in e.positions]
    assert len(with_bed) >= 8, with_bed
    assert len(with_chair) >= 6, with_chair


def test_position_surfaces_match_the_position(library):
    expected = {
        Position.BED: {schema.Surface.BED},
        Position.CHAIR: {schema.Surface.CHAIR},
        Position.FLOOR: {schema.Surface.MAT, schema.Surface.FLOOR},
        Position.STANDING: {schema.Surface.FLOOR, schema.Surface.CHAIR},
    }
    for slug, exercise in library.items():
        for position, variant in exercise.positions.items():
            assert variant.pose.surface in expected[position], f"{slug} {position}"


def test_slugs_are_unique_and_match_file_names():
    files = sorted(schema.DATA_DIR.glob("*.toml"))
    slugs = [schema.load_exercise_file(path).slug for path in files]
    assert slugs == [path.stem for path in files]
    assert len(set(slugs)) == len(slugs)


def test_every_cue_is_short_enough_to_speak(library):
    for slug, exercise in library.items():
        for position, variant in exercise.positions.items():
            assert len(variant.cue) <= 120, f"{slug} {position}: {variant.cue!r}"
            assert "\n" not in variant.cue


def test_poses_show_a_movement(library):
    for slug, exercise in library.items():
        for position, variant in exercise.positions.items():
            assert variant.pose.start != variant.pose.end, f"{slug} {position}: start == end"


# --- broken files ----------------------------------------------------------------------

GOOD = (schema.DATA_DIR / "pelvic-tilt.toml").read_text(encoding="utf-8")

BROKEN = {
    # name: (file text, words the error must contain besides the file name)
    "not-toml": ('slug = "not-toml"\nname = "Oops\n', ["not valid TOML", "line 2"]),
    "missing-field": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "missing-field"').replace(
            'kind = "mobility"\n', ""
        ),
        ["kind", "required"],
    ),
    "zero-hold": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "zero-hold"').replace(
            "hold_seconds = 5", "hold_seconds = 0"
        ),
        ["dosage.hold_seconds", "greater than or equal to 1", "got 0"],
    ),
    "unknown-position": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-position"').replace(
            "[positions.chair", "[positions.sofa"
        ),
        ["positions.sofa", "floor", "bed", "chair", "standing"],
    ),
    "unknown-field": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-field"').replace(
            'kind = "mobility"', 'kind = "mobility"\ncolour = "blue"'
        ),
        ["colour", "unknown field"],
    ),
    "tag-without-caution": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "tag-without-caution"').replace(
            "contraindications = []", 'contraindications = ["osteoporosis"]'
        ),
        ["contraindications", "'osteoporosis'", "no caution", "add a caution"],
    ),
    "no-voice": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "no-voice"').replace(
            "[positions.bed.voice]", "[positions.bed.not_voice]"
        ),
        ["positions.bed.voice", "required"],
    ),
    "unknown-need": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-need"').replace(
            'needs = ["mat"]', 'needs = ["yoga block"]'
        ),
        ["positions.floor.voice.needs[0]", "'mat'", "'towel'", "yoga block"],
    ),
    "sided-without-side-words": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "sided-without-side-words"').replace(
            'sides = "none"', 'sides = "each"'
        ),
        ["done one side at a time", "positions.floor.voice.left", "positions.floor.voice.to_right"],
    ),
    "wrong-name": (GOOD, ["slug", "must match the file name", "'wrong-name'", "'pelvic-tilt'"]),
    # Figures: contacts name a known surface and real body points; props are known ones.
    "unknown-surface": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-surface"').replace(
            'start = { mat = ["head_centre"', 'start = { sofa = ["head_centre"', 1
        ),
        ["positions.floor.pose.staging.start.sofa", "floor", "mat", "chair-seat", "wall"],
    ),
    "unknown-point": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-point"').replace(
            'start = { mat = ["head_centre"', 'start = { mat = ["left_elbw"', 1
        ),
        ["positions.floor.pose.staging.start", "'left_elbw'", "not a body point", "left_knee"],
    ),
    "unknown-prop": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "unknown-prop"').replace(
            "[positions.floor.pose.staging]\n", '[positions.floor.pose.staging]\nprops = ["ball"]\n'
        ),
        ["positions.floor.pose.staging.props[0]", "towel", "band", "bed-edge", "got 'ball'"],
    ),
    "wall-without-prop": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "wall-without-prop"').replace(
            'start = { mat = ["head_centre"',
            'start = { wall = ["left_elbow"], mat = ["head_centre"',
            1,
        ),
        ["positions.floor.pose.staging", "rests on the wall", "add 'wall' to props"],
    ),
    "no-staging": (
        GOOD.replace('slug = "pelvic-tilt"', 'slug = "no-staging"').replace(
            "[positions.floor.pose.staging]", "[positions.floor.pose.unused]"
        ),
        ["positions.floor.pose.staging", "required"],
    ),
}


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(BROKEN[name][0], encoding="utf-8")
    return path


def _lines_for(problems: list[str], path: Path) -> str:
    mine = [line for line in problems if line.startswith(f"{path}:")]
    assert mine, f"no problem reported for {path}: {problems}"
    return "\n".join(mine)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_loader_names_file_field_and_fault(tmp_path, name):
    path = _write(tmp_path, name)
    with pytest.raises(LibraryError) as caught:
        schema.load_library(path)
    text = _lines_for(caught.value.problems, path)
    for words in BROKEN[name][1]:
        assert words in text, f"{words!r} missing from {text!r}"


def test_loader_reports_every_broken_file_at_once(tmp_path):
    paths = [_write(tmp_path, name) for name in BROKEN]
    with pytest.raises(LibraryError) as caught:
        schema.load_library(tmp_path)
    for path in paths:
        _lines_for(caught.value.problems, path)


def test_good_file_copied_elsewhere_passes(tmp_path):
    path = tmp_path / "pelvic-tilt.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert list(schema.load_library(tmp_path)) == ["pelvic-tilt"]


def test_check_command_prints_each_problem_and_fails(tmp_path):
    paths = {name: _write(tmp_path, name) for name in BROKEN}
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("library", "check", str(tmp_path), stderr=err)
    assert "problem" in str(caught.value)
    lines = err.getvalue().splitlines()
    for name, path in paths.items():
        text = _lines_for(lines, path)
        for words in BROKEN[name][1]:
            assert words in text, f"{words!r} missing from {text!r}"


@pytest.mark.parametrize("name", ["zero-hold", "unknown-field"])
def test_check_command_on_one_file(tmp_path, name):
    path = _write(tmp_path, name)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("library", "check", str(path), stderr=err)
    text = _lines_for(err.getvalue().splitlines(), path)
    for words in BROKEN[name][1]:
        assert words in text


def test_check_command_passes_on_the_shipped_library():
    out = io.StringIO()
    call_command("library", "check", stdout=out)
    assert out.getvalue().startswith("OK: ")
