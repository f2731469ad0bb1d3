from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Exercise
from .schema import DATA_DIR, load_library


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int
    unchanged: int
    retired: int


@transaction.atomic
def sync_library(directory: Path = DATA_DIR) -> SyncReport:
    """Make the Exercise table match the data files (raises LibraryError on a bad file)."""
    definitions = load_library(directory)
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
