"""Camera rules as data: validated on load, checked by ``library check`` against the exercise's
own figure (the end pose satisfies them, the start pose does not), compiled for the browser."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backstretch.library import camera
from backstretch.library.camera_schema import BLAZEPOSE, CUES
from backstretch.library.schema import DATA_DIR, Exercise, Position
from tests.coach import synthetic as syn


def test_the_seven_coached_exercises_have_rules_for_their_main_position():
    library = syn.library()
    coached = {
        slug for slug, e in library.items() for v in e.positions.values() if v.camera is not None
    }
    assert coached == set(syn.COACHED)
    for slug in syn.COACHED:
        exercise = library[slug]
        assert next(iter(exercise.positions)) == syn.coached_position(slug), slug


@pytest.mark.parametrize("slug", syn.COACHED)
def test_compiled_rules_name_real_landmarks_and_sane_ranges(slug):
    for side in ("left", "right"):
        rules = syn.rules(slug, side)
        assert rules["landmarks"] == list(BLAZEPOSE)
        assert rules["required"] and set(rules["required"]) <= set(BLAZEPOSE)
        assert (
            rules["hold_seconds"]
            == syn.library()[slug].dosage_for(syn.coached_position(slug)).hold_seconds
        )
        for check in rules["checks"]:
            low, high = check["range"]
            assert 0 <= low < high <= 180
            assert high - low >= 2 * check["hysteresis"]
            assert {check["when_low"], check["when_high"]} <= set(CUES)


def test_the_right_side_watches_the_mirrored_landmarks():
    left = syn.rules("hip-flexor-stretch", "left")
    right = syn.rules("hip-flexor-stretch", "right")
    assert left["checks"][2]["points"] == ["right_hip", "right_knee", "right_ankle"]
    assert right["checks"][2]["points"] == ["left_hip", "left_knee", "left_ankle"]
    assert [c["range"] for c in left["checks"]] == [c["range"] for c in right["checks"]]
    # A two-sided exercise has one set of rules, whatever side is asked for.
    assert syn.rules("childs-pose", "right")["side"] == "left"


def test_a_target_comes_from_the_figure_s_end_pose():
    exercise = syn.library()["childs-pose"]
    rules = exercise.positions[Position.FLOOR].camera
    assert rules is not None
    knees = rules.checks[0]
    end = syn.staged("childs-pose", "left")[-1]
    low, high = syn.rules("childs-pose")["checks"][0]["range"]
    assert (low + high) / 2 == pytest.approx(camera.measure(knees, end), abs=0.1)
    assert high - low == pytest.approx(2 * (knees.tolerance or 0), abs=0.1)


def _check(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("library", "check", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _copy_with(tmp_path: Path, slug: str, old: str, new: str) -> Path:
    text = (DATA_DIR / f"{slug}.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{slug}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_check_fails_when_the_end_pose_breaks_its_own_rule(tmp_path):
    # Child's pose ends with the knees folded (about 35 degrees): a rule wanting them open fails.
    path = _copy_with(
        tmp_path, "childs-pose", 'target = "end"\ntolerance = 20', "range = [90, 150]"
    )
    _out, err = _check(path)
    assert "childs-pose: positions.floor.camera: check 'knees'" in err
    assert "the end pose measures 35°, outside the range 90..150" in err


def test_check_fails_when_the_start_pose_already_satisfies_every_rule(tmp_path):
    text = (DATA_DIR / "glute-bridge.toml").read_text(encoding="utf-8")
    wide = text.replace('target = "end"\ntolerance = 15', "range = [100, 180]")
    wide = wide.replace('target = "end"\ntolerance = 20', "range = [40, 100]")
    path = tmp_path / "glute-bridge.toml"
    path.write_text(wide, encoding="utf-8")
    _out, err = _check(path)
    assert "glute-bridge: positions.floor.camera: the start pose satisfies every check" in err


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('"left_knee", "left_ankle"]', '"left_kne", "left_ankle"]', "'left_kne' is not a Blaze"),
        ('when_high = "sit-hips-back"', 'when_high = "push-harder"', "'push-harder' is not a"),
        ('target = "end"\ntolerance = 20', "range = [30, 35]", "narrower than twice"),
        ('target = "end"\ntolerance = 20', 'target = "end"', "a target needs a tolerance"),
        ('camera]\nview = "side"', 'camera]\nview = "top"', "positions.floor.camera.view"),
    ],
)
def test_check_names_the_field_of_a_malformed_rule(tmp_path, old, new, said):
    _out, err = _check(_copy_with(tmp_path, "childs-pose", old, new))
    assert "childs-pose.toml: positions.floor.camera" in err
    assert said in err


@pytest.mark.django_db
def test_check_reports_the_coached_positions_on_the_shipped_library():
    out = StringIO()
    call_command("library", "check", stdout=out)
    assert "OK: camera rules of 7 positions agree with their figures." in out.getvalue()


def test_a_position_without_rules_has_no_camera_mode():
    exercise: Exercise = syn.library()["walking"]
    position = next(iter(exercise.positions))
    with pytest.raises(ValueError, match="no camera rules"):
        camera.compile_rules(exercise, position)
