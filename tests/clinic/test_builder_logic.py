"""The builder's pure rules: draft actions, validation and the version diff."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstretch.clinic import builder
from backstretch.clinic.builder import Change, DraftItem, Snapshot
from backstretch.library.schema import load_library


@pytest.fixture(scope="module")
def catalogue():
    return load_library()


LIBRARY = load_library()
SLUGS = sorted(LIBRARY)


def draft(*slugs):
    return [builder.new_item(LIBRARY[slug]) for slug in slugs]


def stored(slug, position="floor", hold=10, reps=5, sides="none", rest=5, note=""):
    return {
        "exercise": slug,
        "position": position,
        "hold_seconds": hold,
        "repetitions": reps,
        "sides": sides,
        "rest_seconds": rest,
        "note": note,
    }


def test_a_new_item_takes_the_libraries_dosage():
    item = builder.new_item(LIBRARY["rotation-stretch"])
    assert (item.position, item.hold_seconds, item.repetitions, item.sides) == (
        "floor",
        "5",
        "10",
        "alternating",
    )


def test_reading_the_form_keeps_index_order_and_skips_gaps():
    data = {
        "item_count": "3",
        "item-0-exercise": "glute-bridge",
        "item-0-hold_seconds": " 7 ",
        "item-2-exercise": "childs-pose",
    }
    items = builder.read_draft(data)
    assert [i.exercise for i in items] == ["glute-bridge", "childs-pose"]
    assert items[0].hold_seconds == "7"


def test_a_silly_item_count_reads_as_nothing():
    assert builder.read_draft({"item_count": "lots"}) == []


def test_actions_add_move_and_remove(catalogue):
    items = draft("pelvic-tilt", "glute-bridge")
    added = builder.apply_action(items, "add:childs-pose", catalogue).items
    assert [i.exercise for i in added] == ["pelvic-tilt", "glute-bridge", "childs-pose"]
    up = builder.apply_action(added, "up:2", catalogue).items
    assert [i.exercise for i in up] == ["pelvic-tilt", "childs-pose", "glute-bridge"]
    assert builder.apply_action(added, "up:0", catalogue).items == added
    assert builder.apply_action(added, "down:2", catalogue).items == added
    gone = builder.apply_action(added, "remove:0", catalogue).items
    assert [i.exercise for i in gone] == ["glute-bridge", "childs-pose"]
    assert builder.apply_action(added, "add:nope", catalogue).unknown == "nope"
    assert builder.apply_action(added, "up:x", catalogue).items == added


@given(st.lists(st.sampled_from(SLUGS), max_size=8), st.integers(-2, 9), st.sampled_from([-1, 1]))
def test_moving_never_loses_or_invents_an_item(slugs, index, step):
    items = draft(*slugs)
    moved = builder.move(items, index, step)
    assert sorted(i.exercise for i in moved) == sorted(slugs)


def test_everything_from_bed_names_those_without_one(catalogue):
    items = draft("hamstring-stretch", "sit-to-stand")
    outcome = builder.apply_action(items, "bed", catalogue)
    assert [i.position for i in outcome.items] == ["bed", "chair"]
    assert outcome.without_bed == ["Sit to stand"]


def test_no_flexion_hides_tagged_and_flexion_moves():
    pelvic = LIBRARY["pelvic-tilt"]
    assert builder.is_avoided(pelvic, ["flexion-sensitive"])
    assert builder.is_avoided(LIBRARY["childs-pose"], ["flexion-sensitive"])
    assert not builder.is_avoided(LIBRARY["glute-bridge"], ["flexion-sensitive"])
    assert builder.is_avoided(LIBRARY["prone-press-up"], ["extension-sensitive"])
    assert not builder.is_avoided(pelvic, [])


def test_validation_names_item_and_field(catalogue):
    items = [builder.new_item(LIBRARY["hamstring-stretch"])]
    bad = [DraftItem("hamstring-stretch", "standing", "0", "500", "twice", "x", "n" * 301)]
    clean, problems = builder.validate(bad, catalogue)
    assert clean == []
    codes = {(p.code, p.field) for p in problems}
    assert codes == {
        ("position", "position"),
        ("range", "hold_seconds"),
        ("range", "repetitions"),
        ("sides", "sides"),
        ("number", "rest_seconds"),
        ("note", "note"),
    }
    assert all(p.name == "Hamstring stretch" and p.index == 0 for p in problems)
    clean, problems = builder.validate(items, catalogue)
    assert problems == [] and clean[0]["hold_seconds"] == 10
    assert builder.validate([], catalogue)[1][0].code == "empty"


@given(st.integers(-5, 1000))
def test_hold_limits_are_the_libraries(hold):
    item = DraftItem("glute-bridge", "floor", str(hold), "5", "none", "5")
    _, problems = builder.validate([item], LIBRARY)
    assert (problems == []) == (1 <= hold <= 900)


def test_the_diff_tells_every_kind_of_change():
    names = {slug: exercise.name for slug, exercise in LIBRARY.items()}
    old = Snapshot(
        [stored("rotation-stretch"), stored("childs-pose"), stored("hamstring-stretch")],
        [0, 1, 2, 3, 4, 5, 6],
    )
    new = Snapshot(
        [
            stored("hamstring-stretch", hold=20),
            stored("rotation-stretch", "bed"),
            stored("glute-bridge"),
        ],
        [0, 2, 4],
        times_per_day=2,
        review_date=date(2026, 12, 9),
    )
    changes = builder.diff(old, new, names)
    assert Change("added", "Bridge", item=stored("glute-bridge")) in changes
    assert Change("field", "Hamstring stretch", "hold_seconds", 10, 20) in changes
    assert Change("field", "Rotation stretch (knee rolls)", "position", "floor", "bed") in changes
    assert Change("removed", "Child's pose") in changes
    assert Change("order") in changes
    assert Change("days", before=[0, 1, 2, 3, 4, 5, 6], after=[0, 2, 4]) in changes
    assert Change("times", before=1, after=2) in changes
    assert Change("review", before=None, after=date(2026, 12, 9)) in changes


@given(st.lists(st.sampled_from(SLUGS), max_size=6, unique=True))
def test_a_version_compared_with_itself_has_no_changes(slugs):
    snapshot = Snapshot([stored(slug) for slug in slugs], [0, 3])
    assert builder.diff(snapshot, snapshot, {}) == []


@given(st.lists(st.sampled_from(SLUGS), min_size=2, max_size=6, unique=True))
def test_only_a_reorder_is_reported_as_order_changed(slugs):
    before = Snapshot([stored(slug) for slug in slugs], [0])
    after = Snapshot([stored(slug) for slug in reversed(slugs)], [0])
    assert builder.diff(before, after, {}) == [Change("order")]


def test_the_first_version_lists_its_exercises_as_added():
    first = Snapshot([stored("glute-bridge")], [0])
    assert [c.kind for c in builder.diff(None, first, {})] == ["added"]


def test_sides_must_suit_the_exercise_in_its_position(catalogue):
    from backstretch.clinic.forms_builder import problem_text

    def problems_of(slug, position, sides):
        item = DraftItem(slug, position, "10", "3", sides, "5")
        return [(p.code, p.field) for p in builder.validate([item], catalogue)[1]]

    # A one-sided stretch needs a side order, or the voice never says which side.
    assert problems_of("hamstring-stretch", "floor", "none") == [("one_side_at_a_time", "sides")]
    assert problems_of("hamstring-stretch", "floor", "alternating") == []
    # A both-sides-at-once stretch must not be cued "left side" and "right side".
    assert problems_of("childs-pose", "floor", "each") == [("both_sides_at_once", "sides")]
    # Clamshell is one side at a time lying down, both knees together in a chair.
    assert problems_of("clamshell", "floor", "each") == []
    assert problems_of("clamshell", "chair", "each") == [("both_sides_at_once", "sides")]
    item = DraftItem("childs-pose", "floor", "10", "3", "each", "5")
    text = problem_text(builder.validate([item], catalogue)[1][0])
    assert text.startswith("Child") and "both sides at once" in text and "“None”" in text


def test_every_exercise_in_every_position_is_valid_with_its_own_dosage(catalogue):
    for slug, exercise in catalogue.items():
        for position in exercise.positions:
            item = builder.new_item(exercise, position.value)
            assert builder.validate([item], catalogue)[1] == [], (slug, position)
