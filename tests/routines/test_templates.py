"""Routine templates: loading, validation against the library, and the shipped programmes."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstretch.library.schema import (
    Dosage,
    Exercise,
    Keyframe,
    Pose,
    Position,
    PositionVariant,
    Sides,
    Surface,
    View,
    Voice,
    load_library,
)
from backstretch.library.staging import ContactSurface, Staging
from backstretch.routines.templates import (
    TEMPLATES_DIR,
    RoutineTemplate,
    TemplateError,
    load_template_file,
    load_templates,
    resolve_items,
)
from backstretch.routines.timeline import ItemVoice, RoutineItem, StepKind, compile_timeline

SEED_ORDER = ["rotation-stretch", "childs-pose", "hamstring-stretch", "hip-flexor-stretch"]


VOICE = Voice(
    posture="Lie on your back",
    left="left leg",
    right="right leg",
    to_left="Swap legs",
    to_right="Swap legs again",
)
ITEM_VOICE = ItemVoice(
    posture="Lie on your back",
    left="left leg",
    right="right leg",
    to_left="Swap legs",
    to_right="Swap legs again",
)


def variant(cue: str, dosage: Dosage | None = None) -> PositionVariant:
    resting = {ContactSurface.MAT: ["mid_hip", "head_centre"]}
    pose = Pose(
        surface=Surface.MAT,
        view=View.SIDE,
        start=Keyframe(),
        end=Keyframe(),
        staging=Staging(start=resting, end=resting),
    )
    return PositionVariant(
        start="Lie on your back.",
        steps=["Move gently."],
        feel="A mild stretch.",
        cue=cue,
        pose=pose,
        dosage=dosage,
        voice=VOICE,
    )


def fixture_exercise(slug: str, name: str, positions: dict[Position, PositionVariant]) -> Exercise:
    return Exercise(
        slug=slug,
        name=name,
        summary="A fixture exercise for the template tests.",
        kind="stretch",  # type: ignore[arg-type]
        direction="flexion",  # type: ignore[arg-type]
        targets=["lower back"],
        why="Only here to exercise the template loader.",
        cautions=["Stop if it hurts."],
        dosage=Dosage(hold_seconds=10, repetitions=5, sides=Sides.EACH, rest_seconds=5),
        positions=positions,
    )


@pytest.fixture
def fixture_library() -> dict[str, Exercise]:
    knee_rolls = fixture_exercise(
        "knee-rolls",
        "Knee rolls",
        {
            Position.FLOOR: variant("Let your knees fall to one side"),
            # The bed variant has its own, gentler default dosage.
            Position.BED: variant(
                "Roll your knees a little way",
                Dosage(hold_seconds=5, repetitions=8, sides=Sides.ALTERNATING, rest_seconds=2),
            ),
        },
    )
    thigh_stretch = fixture_exercise(
        "thigh-stretch", "Thigh stretch", {Position.FLOOR: variant("Lean forward")}
    )
    return {exercise.slug: exercise for exercise in (knee_rolls, thigh_stretch)}


def write_template(directory: Path, slug: str, body: str) -> Path:
    path = directory / f"{slug}.toml"
    header = (
        f'slug = "{slug}"\nname = "Test routine"\ndescription = "A routine written by a test."\n'
    )
    path.write_text(header + body, encoding="utf-8")
    return path


def the_only_problem(path: Path, library: dict[str, Exercise]) -> str:
    """The one problem loading the template at ``path`` against ``library`` reports."""
    with pytest.raises(TemplateError) as error:
        load_template_file(path, library)
    [problem] = error.value.problems
    return problem


TWO_ITEMS = """
[[items]]
exercise = "knee-rolls"
position = "bed"

[[items]]
exercise = "thigh-stretch"
position = "floor"
repetitions = 2
hold_seconds = 20
sides = "alternating"
rest_seconds = 0
note = "Gently."
"""


def test_resolve_uses_the_positions_own_dosage_and_the_overrides(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    template = load_template_file(write_template(tmp_path, "two", TWO_ITEMS), fixture_library)
    assert resolve_items(template, fixture_library) == [
        RoutineItem(
            exercise="knee-rolls",
            name="Knee rolls",
            position="bed",
            hold_seconds=5,
            repetitions=8,
            sides="alternating",
            rest_seconds=2,
            cue="Roll your knees a little way",
            voice=ITEM_VOICE,
        ),
        RoutineItem(
            exercise="thigh-stretch",
            name="Thigh stretch",
            position="floor",
            hold_seconds=20,
            repetitions=2,
            sides="alternating",
            rest_seconds=0,
            cue="Lean forward",
            note="Gently.",
            voice=ITEM_VOICE,
        ),
    ]


def test_an_override_changes_only_the_field_it_names(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    body = '[[items]]\nexercise = "knee-rolls"\nposition = "floor"\nrepetitions = 3\n'
    template = load_template_file(write_template(tmp_path, "one", body), fixture_library)
    [item] = resolve_items(template, fixture_library)
    assert (item.hold_seconds, item.repetitions, item.sides, item.rest_seconds) == (
        10,
        3,
        "each",
        5,
    )


def test_unknown_exercise_names_the_file_and_item_index(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    body = TWO_ITEMS + '\n[[items]]\nexercise = "cat-camel"\nposition = "floor"\n'
    path = write_template(tmp_path, "typo", body)
    problem = the_only_problem(path, fixture_library)
    assert problem.startswith(f"{path}: items[2].exercise:")
    assert "'cat-camel'" in problem
    assert "knee-rolls, thigh-stretch" in problem  # what the author could have meant


def test_missing_position_lists_the_positions_the_exercise_has(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    body = '[[items]]\nexercise = "knee-rolls"\nposition = "chair"\n'
    path = write_template(tmp_path, "chairs", body)
    problem = the_only_problem(path, fixture_library)
    assert problem.startswith(f"{path}: items[0].position:")
    assert "chair" in problem
    assert "floor, bed" in problem


def test_sides_must_suit_the_exercise_in_its_position(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    body = '[[items]]\nexercise = "thigh-stretch"\nposition = "floor"\nsides = "none"\n'
    path = write_template(tmp_path, "one-leg", body)
    problem = the_only_problem(path, fixture_library)
    assert problem == (
        f"{path}: items[0].sides: thigh-stretch in the floor position needs "
        "sides = each or alternating (got none)"
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('[[items]]\nexercise = "knee-rolls"\nposition = "floor"\nholds = 3\n', "items[0].holds"),
        ('[[items]]\nexercise = "knee-rolls"\nposition = "roof"\n', "items[0].position"),
        ('[[items]]\nexercise = "knee-rolls"\nposition = "bed"\nrepetitions = 0\n', "repetitions"),
        ('[[items]]\nexercise = "knee-rolls"\nposition = "bed"\nsides = "both"\n', "sides"),
        ("items = []\n", "items"),
        ('colour = "blue"\n[[items]]\nexercise = "knee-rolls"\nposition = "bed"\n', "colour"),
    ],
)
def test_malformed_template_errors_name_the_file_and_field(
    tmp_path: Path, body: str, where: str
) -> None:
    path = write_template(tmp_path, "broken", body)
    with pytest.raises(TemplateError) as error:
        load_template_file(path)
    assert any(p.startswith(f"{path}: ") and where in p for p in error.value.problems)


def test_slug_must_match_the_file_name(tmp_path: Path) -> None:
    path = write_template(tmp_path, "right-name", '[[items]]\nexercise = "a"\nposition = "bed"\n')
    renamed = path.rename(tmp_path / "wrong-name.toml")
    with pytest.raises(TemplateError, match="must match the file name 'wrong-name'"):
        load_template_file(renamed)


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "garbled.toml"
    path.write_text("slug = ", encoding="utf-8")
    with pytest.raises(TemplateError, match=f"{path}: not valid TOML"):
        load_template_file(path)


def test_load_templates_reports_every_broken_file_at_once(
    tmp_path: Path, fixture_library: dict[str, Exercise]
) -> None:
    write_template(tmp_path, "good", TWO_ITEMS)
    write_template(tmp_path, "bad-one", '[[items]]\nexercise = "nope"\nposition = "bed"\n')
    write_template(tmp_path, "bad-two", '[[items]]\nexercise = "thigh-stretch"\nposition = "bed"\n')
    with pytest.raises(TemplateError) as error:
        load_templates(tmp_path, fixture_library)
    assert len(error.value.problems) == 2
    assert {Path(problem.split(":")[0]).stem for problem in error.value.problems} == {
        "bad-one",
        "bad-two",
    }


def test_resolving_against_a_library_without_the_exercise_is_an_error(
    fixture_library: dict[str, Exercise],
) -> None:
    template = RoutineTemplate.model_validate(
        {
            "slug": "orphan",
            "name": "Orphan",
            "description": "Its exercise was retired.",
            "items": [{"exercise": "gone", "position": "floor"}],
        }
    )
    with pytest.raises(TemplateError, match=r"template 'orphan': items\[0\].exercise"):
        resolve_items(template, fixture_library)


# --- the shipped templates against the shipped library -------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple[dict[str, Exercise], dict[str, RoutineTemplate]]:
    library = load_library()
    return library, load_templates(TEMPLATES_DIR, library)


def test_shipped_templates_all_load(
    shipped: tuple[dict[str, Exercise], dict[str, RoutineTemplate]],
) -> None:
    _, templates = shipped
    assert {"daily-four", "daily-four-bed", "bad-day"} <= set(templates)


def test_daily_four_is_the_seed_routine_on_the_floor_at_the_seed_dosage(
    shipped: tuple[dict[str, Exercise], dict[str, RoutineTemplate]],
) -> None:
    library, templates = shipped
    items = resolve_items(templates["daily-four"], library)
    assert [item.exercise for item in items] == SEED_ORDER
    assert {item.position for item in items} == {"floor"}
    dosage = {item.exercise: (item.hold_seconds, item.repetitions, item.sides) for item in items}
    # The clinic guide: rotation 5 s × 10 each side, child's pose 10 s × 5,
    # hamstring 10 s × 5 each leg, hip flexor 10 s × 5 each side.
    assert dosage == {
        "rotation-stretch": (5, 10, "alternating"),
        "childs-pose": (10, 5, "none"),
        "hamstring-stretch": (10, 5, "each"),
        "hip-flexor-stretch": (10, 5, "each"),
    }


def test_rotation_stretch_in_daily_four_plays_twenty_alternating_five_second_holds(
    shipped: tuple[dict[str, Exercise], dict[str, RoutineTemplate]],
) -> None:
    library, templates = shipped
    timeline = compile_timeline(resolve_items(templates["daily-four"], library))
    rotation = [
        step
        for step in timeline.steps
        if step.kind is StepKind.HOLD and step.exercise == "rotation-stretch"
    ]
    assert len(rotation) == 20
    assert {hold.seconds for hold in rotation} == {5}
    assert [hold.side for hold in rotation] == ["left", "right"] * 10


def test_daily_four_bed_is_the_same_four_all_from_bed(
    shipped: tuple[dict[str, Exercise], dict[str, RoutineTemplate]],
) -> None:
    library, templates = shipped
    items = resolve_items(templates["daily-four-bed"], library)
    assert [item.exercise for item in items] == SEED_ORDER
    assert {item.position for item in items} == {"bed"}
    timeline = compile_timeline(items)
    assert {step.position for step in timeline.steps if step.kind is not StepKind.DONE} == {"bed"}


def test_bad_day_is_about_three_minutes_from_bed(
    shipped: tuple[dict[str, Exercise], dict[str, RoutineTemplate]],
) -> None:
    library, templates = shipped
    items = resolve_items(templates["bad-day"], library)
    assert {item.position for item in items} == {"bed"}
    assert items[0].exercise == "rotation-stretch"
    total = compile_timeline(items).total_seconds
    assert 150 <= total <= 210
    daily = compile_timeline(resolve_items(templates["daily-four"], library)).total_seconds
    assert total < daily / 2
