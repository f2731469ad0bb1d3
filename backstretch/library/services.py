from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import Exercise
from .schema import DATA_DIR, LibraryError, load_library
from .schema import Exercise as ExerciseDefinition
from .translations import exercise_text, languages_in, load_translations


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int
    unchanged: int
    retired: int


@dataclass(frozen=True)
class TranslationReport:
    found: dict[str, dict[str, dict]]  # language -> slug -> its words
    problems: list[str]
    missing: list[str]  # files or fields not translated yet (the English is used)


def check_translations(
    definitions: dict[str, ExerciseDefinition], directory: Path = DATA_DIR
) -> TranslationReport:
    """Every language's translations of the exercises in ``directory`` (settings.LANGUAGES)."""
    english = {slug: exercise_text(spec) for slug, spec in definitions.items()}
    found: dict[str, dict[str, dict]] = {}
    problems: list[str] = []
    missing: list[str] = []
    codes = [code for code, _name in settings.LANGUAGES if code != "en"]
    for code in codes:
        words, wrong, absent = load_translations(directory, code, english)
        found[code] = words
        problems.extend(wrong)
        missing.extend(absent)
    for code in languages_in(directory, _folders(directory)):
        if code not in codes:
            problems.append(f"{directory / code}: {code!r} is not in settings.LANGUAGES")
    return TranslationReport(found, problems, missing)


def _folders(directory: Path) -> list[str]:
    return (
        [path.name for path in directory.iterdir() if path.is_dir()] if directory.is_dir() else []
    )


@transaction.atomic
def sync_library(directory: Path = DATA_DIR) -> SyncReport:
    """Make the Exercise table match the data files, translations included (raises
    LibraryError on a bad file). Rows are read and written in English (see the model)."""
    with translation.override("en"):
        return _sync(directory)


def _sync(directory: Path) -> SyncReport:
    definitions = load_library(directory)
    translated = check_translations(
        definitions, directory if directory.is_dir() else directory.parent
    )
    if translated.problems:
        raise LibraryError(translated.problems)
    existing = {exercise.slug: exercise for exercise in Exercise.objects.all()}
    created = updated = unchanged = 0
    for slug, spec in definitions.items():
        fields = {
            "name": spec.name,
            "summary": spec.summary,
            "kind": spec.kind.value,
            "direction": spec.direction.value,
            "targets": list(spec.targets),
            "contraindications": [tag.value for tag in spec.contraindications],
            "positions": [position.value for position in spec.positions],
            "definition": spec.model_dump(mode="json"),
            "translations": {
                code: words[slug] for code, words in translated.found.items() if slug in words
            },
            "retired": False,
        }
        row = existing.get(slug)
        if row is None:
            Exercise.objects.create(slug=slug, **fields)
            created += 1
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
            updated += 1
        else:
            unchanged += 1
    retired = (
        Exercise.objects.exclude(slug__in=definitions).filter(retired=False).update(retired=True)
    )
    return SyncReport(created, updated, unchanged, retired)
