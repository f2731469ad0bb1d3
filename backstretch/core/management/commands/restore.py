from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backstretch backup` into an empty data directory "
        "(BACKSTRETCH_DATA_DIR) and, for PostgreSQL, an empty database (DATABASE_URL). It "
        "refuses anything that is not empty, so nothing saved is overwritten."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("src", help="the backup's folder")

    def handle(self, *args: Any, **options: Any) -> None:
        src = Path(options["src"]).expanduser()
        if not src.is_dir():
            raise CommandError(f"{src} is not a folder: give the folder `backstretch backup` made")
        try:
            done = restore(src)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {done.kind} backup with {done.how} into {done.path}. "
            "`backstretch serve` applies any newer migrations when it starts."
        )
