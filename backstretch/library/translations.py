"""Data in other languages: a translation is a TOML file beside the English one.

Pure: no Django imports. ``library/data/es/hamstring-stretch.toml`` holds the Spanish words of
``library/data/hamstring-stretch.toml``, and only its words: the fields a person reads or
hears (``EXERCISE_FIELDS``, ``POSITION_FIELDS``, ``VOICE_FIELDS``, and ``CAMERA_FIELDS`` of a
position the camera coach watches), in the same shape (a position the exercise has, a list as
long as the English one). Everything else (dosage, pose, needs, timings, the camera's checks)
stays in the English file alone.
The same goes for the other data files (tips, routine templates): each says which of its
fields are words, as an "English text" dict, and ``compare`` checks a translation against it.

A missing translation is not an error: the English is used, and ``backstretch library check``
lists it. A translation that does not match (a field the English lacks, a step too few, a
``{placeholder}`` dropped) is an error the check names with file and field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .schema import Exercise

# Spoken or shown words of an exercise, by where they sit in the file.
EXERCISE_FIELDS = ("name", "summary", "why", "cautions")
POSITION_FIELDS = ("start", "steps", "feel", "cue")
VOICE_FIELDS = ("posture", "left", "right", "to_left", "to_right", "activity")
# ...and of a position's camera rules (``[positions.X.camera]``): where to put the phone.
CAMERA_FIELDS = ("phone",)

PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sd]")

Text = dict[str, Any]


def exercise_text(spec: Exercise) -> Text:
    """The words of ``spec`` that a translation gives, in the translation file's shape."""
    text: Text = {name: getattr(spec, name) for name in EXERCISE_FIELDS}
    positions: Text = {}
    for position, variant in spec.positions.items():
        entry: Text = {name: getattr(variant, name) for name in POSITION_FIELDS}
        voice = {
            name: value
            for name in VOICE_FIELDS
            if (value := getattr(variant.voice, name)) is not None
        }
        entry["voice"] = voice
        if variant.camera is not None:
            entry["camera"] = {name: getattr(variant.camera, name) for name in CAMERA_FIELDS}
        positions[position.value] = entry
    text["positions"] = positions
    return text


def compare(english: Any, translated: Any, where: str = "") -> tuple[list[str], list[str]]:
    """What is wrong with ``translated`` against ``english`` (same shape, same placeholders,
    nothing extra, nothing empty), one readable line each naming the field; and the fields it
    lacks (a gap, not an error: those words stay English, and the check lists them)."""
    here = where or "(top)"
    if isinstance(english, Mapping):
        if not isinstance(translated, Mapping):
            return [f"{here}: must be a table like the English one"], []
        problems: list[str] = []
        gaps = [_join(where, key) for key in english if key not in translated]
        for key in translated:
            if key not in english:
                problems.append(f"{_join(where, key)}: not in the English file; remove it")
        for key in english:
            if key in translated:
                wrong, missing = compare(english[key], translated[key], _join(where, key))
                problems.extend(wrong)
                gaps.extend(missing)
        return problems, gaps
    if isinstance(english, list):
        if not isinstance(translated, list):
            return [f"{here}: must be a list like the English one"], []
        if len(translated) != len(english):
            return [f"{here}: has {len(translated)} entries; the English has {len(english)}"], []
        problems = []
        for index, (first, second) in enumerate(zip(english, translated, strict=True)):
            problems.extend(compare(first, second, f"{here}[{index + 1}]")[0])
        return problems, []
    if not isinstance(translated, str):
        return [f"{here}: must be text"], []
    if not translated.strip():
        return [f"{here}: is empty; translate it or leave it out"], []
    wanted = sorted(PLACEHOLDER.findall(str(english)))
    given = sorted(PLACEHOLDER.findall(translated))
    if wanted != given:
        return [
            f"{here}: placeholders {given or 'none'} differ from the English {wanted or 'none'}"
        ], []
    return [], []


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else str(key)


def translation_path(data_dir: Path, language: str, slug: str) -> Path:
    return data_dir / language / f"{slug}.toml"


def read_translation(path: Path) -> tuple[Text | None, list[str]]:
    """The translation file's contents, or None and the reason it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), []
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{path}: not valid TOML: {exc}"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path}: cannot read the file: {exc}"]


def load_translations(
    data_dir: Path, language: str, english: Mapping[str, Text]
) -> tuple[dict[str, Text], list[str], list[str]]:
    """Each slug's checked translation into ``language`` from ``data_dir/<language>/``.

    ``english`` maps each slug to its English text (``exercise_text``...). Returns the good
    translations, the problems (file and field), and what is not translated yet: a missing
    file, or a field a file lacks (a position added to the English file since, say).
    """
    found: dict[str, Text] = {}
    problems: list[str] = []
    missing: list[str] = []
    folder = data_dir / language
    for slug, text in english.items():
        path = translation_path(data_dir, language, slug)
        if not path.exists():
            missing.append(str(path))
            continue
        translated, unreadable = read_translation(path)
        if translated is None:
            problems.extend(unreadable)
            continue
        wrong, gaps = compare(text, translated)
        if wrong:
            problems.extend(f"{path}: {line}" for line in wrong)
            continue
        missing.extend(f"{path}: {gap}" for gap in gaps)
        found[slug] = translated
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            if path.stem not in english:
                problems.append(f"{path}: translates {path.stem!r}, which has no English file")
    return found, problems, missing


def translated_exercise(spec: Exercise, text: Mapping[str, Any] | None) -> Exercise:
    """``spec`` with its words replaced by ``text`` (a checked translation), or ``spec`` itself.

    Built by copying, without validating again: the English file was validated, and a
    voice's starting posture (read from the English opening words) is kept from it.
    """
    if not text:
        return spec
    positions = {}
    for position, variant in spec.positions.items():
        words = text.get("positions", {}).get(position.value)
        if not words:  # a position not translated yet stays English
            positions[position] = variant
            continue
        voice = variant.voice.model_copy(update=dict(words.get("voice", {})))
        voice.keep_starting_posture_of(variant.voice)
        update = {name: words[name] for name in POSITION_FIELDS if name in words}
        camera = words.get("camera", {})
        if variant.camera is not None and camera:
            update["camera"] = variant.camera.model_copy(
                update={name: camera[name] for name in CAMERA_FIELDS if name in camera}
            )
        positions[position] = variant.model_copy(update={**update, "voice": voice})
    update = {name: text[name] for name in EXERCISE_FIELDS if name in text}
    return spec.model_copy(update={**update, "positions": positions})


def languages_in(data_dir: Path, languages: Iterable[str]) -> list[str]:
    """The languages (other than English) that have a folder of translations here."""
    return [code for code in languages if code != "en" and (data_dir / code).is_dir()]


# Other data files with translations (tips, routine templates) live in apps above the library;
# each registers a check here from its AppConfig.ready, and ``backstretch library check`` runs
# them all. A check returns (what it checked, problems, not translated yet).
DataCheck = Callable[[], tuple[str, list[str], list[str]]]
OTHER_DATA_CHECKS: list[DataCheck] = []


def register_data_check(check: DataCheck) -> None:
    if check not in OTHER_DATA_CHECKS:
        OTHER_DATA_CHECKS.append(check)
