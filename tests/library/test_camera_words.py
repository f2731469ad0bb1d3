"""The camera coach's words in the reader's language: where to put the phone (``phone`` in a
position's camera rules) is exercise data, translated beside the other words of the exercise
(library/data/es/); the corrections (camera_schema.CUES) go through the message catalogue."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from backstretch.library import camera_schema
from backstretch.library.models import Exercise
from backstretch.library.schema import DATA_DIR, Position, load_library
from backstretch.library.services import check_translations
from backstretch.library.translations import translated_exercise

COACHED = {
    "childs-pose": Position.FLOOR,
    "hamstring-stretch": Position.FLOOR,
    "hip-flexor-stretch": Position.FLOOR,
    "rotation-stretch": Position.FLOOR,
    "glute-bridge": Position.FLOOR,
    "bird-dog": Position.FLOOR,
    "sit-to-stand": Position.CHAIR,
}


def test_a_spanish_reader_is_told_in_spanish_where_to_put_the_phone(library):
    with translation.override("es"):
        spanish = Exercise.objects.get(slug="childs-pose").spec.positions[Position.FLOOR]
    with translation.override("en"):
        english = Exercise.objects.get(slug="childs-pose").spec.positions[Position.FLOOR]
    assert spanish.camera is not None and english.camera is not None
    assert spanish.camera.phone.startswith("Coloque el teléfono de pie en el suelo")
    assert english.camera.phone.startswith("Stand the phone on the floor")
    # Only the words change: what the coach checks stays the English file's.
    assert spanish.camera.model_dump(exclude={"phone"}) == english.camera.model_dump(
        exclude={"phone"}
    )


def test_every_coached_position_has_its_phone_words_in_spanish():
    library = load_library(DATA_DIR)
    coached = {
        slug: position
        for slug, exercise in library.items()
        for position, variant in exercise.positions.items()
        if variant.camera is not None
    }
    assert coached == COACHED
    report = check_translations(library)
    assert not [line for line in report.missing if "camera" in line]
    for slug, position in COACHED.items():
        spanish = translated_exercise(library[slug], report.found["es"][slug])
        rules = spanish.positions[position].camera
        english = library[slug].positions[position].camera
        assert rules is not None and english is not None
        assert rules.phone.startswith("Coloque el teléfono de pie"), slug
        assert rules.checks == english.checks


def _library_of(tmp_path: Path, slug: str, spanish: str) -> Path:
    """A data folder holding one exercise (as shipped) and ``spanish``, its Spanish words."""
    data = tmp_path / "library"
    (data / "es").mkdir(parents=True)
    shutil.copy(DATA_DIR / f"{slug}.toml", data)
    (data / "es" / f"{slug}.toml").write_text(spanish, encoding="utf-8")
    return data


def _shipped_spanish(slug: str) -> str:
    return (DATA_DIR / "es" / f"{slug}.toml").read_text(encoding="utf-8")


def test_a_translation_without_the_phone_words_is_listed_as_not_translated_yet(tmp_path):
    without = _shipped_spanish("childs-pose").split("[positions.floor.camera]")[0]
    data = _library_of(tmp_path, "childs-pose", without)
    out = io.StringIO()
    call_command("library", "check", str(data), stdout=out)
    assert (
        f"Not translated yet (English is used): {data / 'es' / 'childs-pose.toml'}: "
        "positions.floor.camera\n"
    ) in out.getvalue()
    english = load_library(data)["childs-pose"]
    found = check_translations({"childs-pose": english}, data).found["es"]["childs-pose"]
    rules = translated_exercise(english, found).positions[Position.FLOOR].camera
    assert rules == english.positions[Position.FLOOR].camera  # the English words, as they were


@pytest.mark.parametrize(
    ("added", "said"),
    [
        # Child's pose on a bed has no camera rules: there is nothing to translate.
        (
            '\n[positions.bed.camera]\nphone = "Coloque el teléfono en la mesilla."\n',
            "positions.bed.camera: not in the English file; remove it",
        ),
        # The rules themselves stay in the English file: only the words are translated.
        ('view = "feet"\n', "positions.floor.camera.view: not in the English file; remove it"),
    ],
)
def test_a_camera_table_that_translates_no_words_is_an_error_naming_file_and_field(
    tmp_path, added, said
):
    data = _library_of(tmp_path, "childs-pose", _shipped_spanish("childs-pose") + added)
    err = io.StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("library", "check", str(data), stderr=err)
    assert f"{data / 'es' / 'childs-pose.toml'}: {said}" in err.getvalue()


def test_empty_phone_words_are_an_error(tmp_path):
    spanish = re.sub(r'phone = ".*"', 'phone = " "', _shipped_spanish("sit-to-stand"))
    data = _library_of(tmp_path, "sit-to-stand", spanish)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("library", "check", str(data), stderr=err)
    assert "sit-to-stand.toml: positions.chair.camera.phone: is empty" in err.getvalue()


def test_the_corrections_are_marked_for_the_message_catalogue():
    """makemessages extracts ``gettext_noop("...")`` calls: every correction is one, and the
    marker leaves the English sentence as it is (the player translates it when it speaks)."""
    source = Path(camera_schema.__file__).read_text(encoding="utf-8")
    marked = re.findall(r'^    "([a-z-]+)": gettext_noop\("([^"]+)"\),$', source, re.M)
    assert dict(marked) == camera_schema.CUES
    assert camera_schema.gettext_noop("Stand up tall") == "Stand up tall"
