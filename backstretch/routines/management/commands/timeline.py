"""``backstretch timeline --template SLUG [--json]``: show what a routine template plays."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.library.schema import LibraryError, load_library
from backstretch.routines.templates import TemplateError, load_templates, resolve_items
from backstretch.routines.timeline import Timeline, compile_timeline, format_clock

TABLE_COLUMNS = ("step", "kind", "side", "rep", "seconds", "cue")


def timeline_table(timeline: Timeline) -> list[str]:
    """The timeline as aligned text rows, a header first, for reading in a terminal."""
    rows = [TABLE_COLUMNS]
    for number, step in enumerate(timeline.steps, start=1):
        rows.append(
            (
                str(number),
                step.kind.value,
                step.side or "",
                "" if step.rep is None else str(step.rep),
                str(step.seconds),
                step.cue,
            )
        )
    # Every column but the last (the free-text cue) is padded to its widest cell.
    widths = [max(len(row[column]) for row in rows) for column in range(len(TABLE_COLUMNS) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]


class Command(BaseCommand):
    help = "Compile a routine template into its timed steps and print them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--template", required=True, help="the template's slug")
        parser.add_argument(
            "--json", action="store_true", help="print the timeline JSON a player receives"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            library = load_library()
            templates = load_templates(library=library)
        except (LibraryError, TemplateError) as exc:
            raise CommandError(str(exc)) from exc
        slug: str = options["template"]
        template = templates.get(slug)
        if template is None:
            available = ", ".join(sorted(templates)) or "(none)"
            raise CommandError(f"No routine template {slug!r}. Available templates: {available}")
        timeline = compile_timeline(resolve_items(template, library))
        if options["json"]:
            self.stdout.write(json.dumps(timeline.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{template.name} ({template.slug})")
        for line in timeline_table(timeline):
            self.stdout.write(line.rstrip())
        self.stdout.write(f"Total: {format_clock(timeline.total_seconds)}")
