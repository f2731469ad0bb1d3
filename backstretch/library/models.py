from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the schema builds pydantic models: import it only when needed (CLI start-up)
    from .schema import Exercise as ExerciseDefinition


# Validated definitions by (row id, synced at): a few dozen exercises, each synced now and then.
SPECS_KEPT = 1000
_SPECS: dict[tuple[int | None, object, object], ExerciseDefinition] = {}


class Exercise(models.Model):
    """The database copy of one exercise data file, so routines can point at it by slug.

    The data file is the source of truth; ``backstretch library sync`` (run by ``serve`` and
    ``migrate`` users through ``sync_library``) keeps this table in step with it. Exercises
    whose file was removed are kept, marked retired, so old routines still read.

    ``translations`` holds each language's words (``library/data/<code>/<slug>.toml``, see
    translations.py). A row read while a page is in one of those languages comes in it: its
    ``name``, ``summary`` and ``spec`` are that language's, English where it has none. Such a
    row is for reading only (``save`` refuses it); the sync reads and writes in English.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80)
    summary = models.CharField(_("summary"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, db_index=True)
    direction = models.CharField(_("direction"), max_length=20)
    targets = models.JSONField(_("targets"), default=list)
    contraindications = models.JSONField(_("contraindications"), default=list)
    positions = models.JSONField(_("positions"), default=list)
    definition = models.JSONField(_("definition"))
    translations = models.JSONField(_("translations"), default=dict)
    shown_in: str | None = None  # the language a translated row was read in (not stored)
    retired = models.BooleanField(_("retired"), default=False)
    synced_at = models.DateTimeField(_("synced at"), auto_now=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.shown_in:
            raise ValueError(f"{self.slug}: a row read in {self.shown_in} is not saved")
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Exercise:
        row = super().from_db(db, field_names, values)
        text = row.words_in(get_language()) if "translations" in row.__dict__ else None
        if text:
            row.name = text.get("name", row.name)
            row.summary = text.get("summary", row.summary)
            row.shown_in = get_language()
        return row

    def words_in(self, language: str | None) -> dict[str, Any] | None:
        """The translation into ``language`` (a translations.py text), if there is one."""
        if not language:
            return None
        return self.translations.get(language) or self.translations.get(language.split("-")[0])

    @cached_property
    def spec(self) -> ExerciseDefinition:
        """The exercise as its data file says it, in the row's language (see the class).

        Validating costs about a millisecond, and a page may show a dozen exercises, so each
        process keeps one per row as last synced and language (a sync moves ``synced_at`` on,
        and the next read validates the new definition)."""
        from .schema import Exercise as ExerciseDefinition
        from .translations import translated_exercise

        key = (self.pk, self.synced_at, self.shown_in)
        known = _SPECS.get(key)
        if known is not None:
            return known
        # PostgreSQL's jsonb does not keep object keys in order; ``positions`` (a list) keeps
        # the data file's order, which decides the default position and the order shown.
        stored = self.definition["positions"]
        ordered = {name: stored[name] for name in self.positions if name in stored}
        english = ExerciseDefinition.model_validate({**self.definition, "positions": ordered})
        spec = translated_exercise(english, self.words_in(self.shown_in))
        if self.pk is not None and len(_SPECS) < SPECS_KEPT:
            _SPECS[key] = spec
        return spec

    def has_position(self, position: str) -> bool:
        return position in self.positions


def exercise_names(slugs: list[str]) -> dict[str, str]:
    """Each slug's exercise name (in one query), in the language of the page."""
    rows = Exercise.objects.filter(slug__in=slugs).only("slug", "name", "translations")
    return {row.slug: row.name for row in rows}


def in_name_order(rows: Iterable[Exercise]) -> list[Exercise]:
    """``rows`` by their name in the language they were read in (the database orders them by
    the English name): case and accents aside, so "Él" sorts with the e's."""
    return sorted(rows, key=lambda row: name_key(row.name))


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
