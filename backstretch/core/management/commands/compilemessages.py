"""``backstretch compilemessages``: Django's command of that name, done in Python (Babel), so
it needs no gettext tools. Starting Django already compiles stale catalogues; this says which
ones it wrote, and with ``--force`` writes them all again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backstretch.core.catalogues import LOCALE_DIR, compile_catalogue, compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) under backstretch/locale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["force"]:
            written = []
            for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
                compile_catalogue(po, po.with_suffix(".mo"))
                written.append(po.with_suffix(".mo"))
        else:
            written = compile_catalogues()
        for mo in written:
            self.stdout.write(f"Compiled {mo.relative_to(LOCALE_DIR)}")
        if not written:
            self.stdout.write("Every catalogue is up to date.")
