"""The library as its public pages show it, worked out once per synced library and language.

The list and the exercise pages are pure functions of the synced library (the Exercise table),
the reader's language and the filters in the address. So each process keeps a ``Shelf`` per
language: the facts the filters read, each card's HTML (for each position a filter can choose)
and each exercise page's body, built on first use. A request pays one small query, the
library's stamp (the newest ``synced_at`` and the row counts): ``backstretch library sync``
(in this process or any other) or an edit in the admin changes it, and the next request
builds a fresh shelf. Saving or deleting a row in this process also empties the shelves at
once (a test may put back rows with the same stamp as before).

Nothing here depends on who reads: the header, the navigation and any form token stay in the
page around these pieces, rendered per request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .filters import known_kinds, known_targets
from .models import Exercise, in_name_order
from .schema import Kind
from .vocabulary import KIND_LABELS, POSITION_LABELS, Badge, dosage_short, sided_limb

Stamp = tuple[object, int, int]
# Page bodies kept per shelf (about 27 KB each at most): the exercises' pages and the lists of
# the filters asked for; when that many are kept they are all dropped, so a crawl of every
# combination of filters neither grows the process nor keeps out the pages people ask for.
PAGES_KEPT = 80


def library_stamp() -> Stamp:
    """What changes whenever the synced library does: the newest sync, and how many rows there
    are and are shown (retiring a row changes no ``synced_at``). One plain query: the ORM's
    aggregate costs twenty times as much to build as to run (1.3 ms against 0.07)."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        newest, rows, shown = cursor.fetchone()
    return (newest, rows, shown or 0)


@cache
def _stamp_sql() -> str:
    meta, quote = Exercise._meta, connection.ops.quote_name
    synced_at = quote(meta.get_field("synced_at").column)
    retired = quote(meta.get_field("retired").column)
    return (
        f"SELECT MAX({synced_at}), COUNT(*), SUM(CASE WHEN {retired} THEN 0 ELSE 1 END) "
        f"FROM {quote(meta.db_table)}"
    )


@dataclass(frozen=True)
class CardFacts:
    """What the filters read of one exercise (filters.Filterable), in the shelf's language."""

    slug: str
    name: str
    summary: str
    kind: str
    positions: list[str]
    targets: list[str]


@dataclass
class Shelf:
    """One language's view of one version of the library (see the module)."""

    stamp: Stamp
    language: str
    rows: dict[str, Exercise]  # by slug, in name order, retired ones left out
    facts: list[CardFacts]
    targets: list[str]
    kinds: list[Kind]
    _cards: dict[tuple[str, str], SafeString] = field(default_factory=dict)
    _pages: dict[Hashable, SafeString] = field(default_factory=dict)

    @classmethod
    def load(cls, stamp: Stamp, language: str) -> Shelf:
        rows = in_name_order(Exercise.objects.filter(retired=False))
        facts = [
            CardFacts(row.slug, row.name, row.summary, row.kind, row.positions, row.targets)
            for row in rows
        ]
        return cls(
            stamp=stamp,
            language=language,
            rows={row.slug: row for row in rows},
            facts=facts,
            targets=known_targets(facts),
            kinds=known_kinds(facts),
        )

    def card(self, slug: str, position: str) -> SafeString:
        """The list's card of ``slug``, for the position filter ``position`` ("" for none)."""
        key = (slug, position)
        known = self._cards.get(key)
        if known is None:
            known = self._cards[key] = mark_safe(_card_html(self.rows[slug], position))
        return known

    def page(self, key: Hashable, make: Callable[[], str], keep: bool = True) -> SafeString:
        """The page body ``make`` renders (our own templates' HTML) for ``key``, kept unless
        ``keep`` is false (see PAGES_KEPT)."""
        known = self._pages.get(key)
        if known is None:
            known = mark_safe(make())
            if keep:
                if len(self._pages) >= PAGES_KEPT:
                    self._pages.clear()
                self._pages[key] = known
        return known


def _card_html(exercise: Exercise, position: str) -> str:
    spec = exercise.spec
    url = reverse("library:detail", args=[exercise.slug])
    if position:
        url += f"#{position}"
    context = {
        "exercise": exercise,
        "url": url,
        "kind": str(KIND_LABELS.get(exercise.kind, exercise.kind)),
        "positions": [Badge(p, str(POSITION_LABELS.get(p, p))) for p in exercise.positions],
        "dosage": dosage_short(spec.dosage, sided_limb(list(spec.positions.values()))),
        "figure_position": position or exercise.positions[0],
        "chosen": position,
    }
    return render_to_string("library/card.html", context)


# A few languages at most (settings.LANGUAGES and the test pseudo-locale); bounded all the same.
SHELVES_KEPT = 16
_shelves: dict[str, Shelf] = {}
_lock = threading.Lock()
_generation = [0]  # moved on by forget(): a shelf loaded before it is not kept


def shelf() -> Shelf:
    """This request's shelf: the library as last synced, in the active language."""
    stamp = library_stamp()
    language = get_language() or ""
    known = _shelves.get(language)
    if known is not None and known.stamp == stamp:
        return known
    generation = _generation[0]
    fresh = Shelf.load(stamp, language)
    with _lock:
        if len(_shelves) >= SHELVES_KEPT:
            _shelves.clear()
        if generation == _generation[0]:
            _shelves[language] = fresh
    return fresh


def forget(**_kwargs: Any) -> None:
    """Empty every shelf (a row was saved or deleted in this process)."""
    with _lock:
        _generation[0] += 1
        _shelves.clear()


post_save.connect(forget, sender=Exercise, dispatch_uid="library-shelf-save")
post_delete.connect(forget, sender=Exercise, dispatch_uid="library-shelf-delete")
