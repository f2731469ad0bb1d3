from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the schema builds pydantic models: import it only when needed (CLI start-up)
    from .schema import Exercise as ExerciseDefinition


# Validated definitions by (row id, synced at): a few dozen exercises, each synced now and then.
SPECS_KEPT = 1000
_SPECS: dict[tuple[int | None, object], ExerciseDefinition] = {}


class Exercise(models.Model):
    """The database copy of one exercise data file, so routines can point at it by slug.

    The data file is the source of truth; ``backstretch library sync`` (run by ``serve`` and
    ``migrate`` users through ``sync_library``) keeps this table in step with it. Exercises
    whose file was removed are kept, marked retired, so old routines still read.
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
    retired = models.BooleanField(_("retired"), default=False)
    synced_at = models.DateTimeField(_("synced at"), auto_now=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def spec(self) -> ExerciseDefinition:
        """The validated definition. Validating costs about a millisecond, and a page may show
        a dozen exercises, so each process keeps one per row as last synced (a sync moves
        ``synced_at`` on, and the next read validates the new definition)."""
        from .schema import Exercise as ExerciseDefinition

        key = (self.pk, self.synced_at)
        known = _SPECS.get(key)
        if known is not None:
            return known
        # PostgreSQL's jsonb does not keep object keys in order; ``positions`` (a list) keeps
        # the data file's order, which decides the default position and the order shown.
        stored = self.definition["positions"]
        ordered = {name: stored[name] for name in self.positions if name in stored}
        spec = ExerciseDefinition.model_validate({**self.definition, "positions": ordered})
        if self.pk is not None and len(_SPECS) < SPECS_KEPT:
            _SPECS[key] = spec
        return spec

    def has_position(self, position: str) -> bool:
        return position in self.positions


def exercise_names(slugs: list[str]) -> dict[str, str]:
    """Each slug's exercise name (in one query)."""
    return dict(Exercise.objects.filter(slug__in=slugs).values_list("slug", "name"))
