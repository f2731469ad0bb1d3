from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Copy the database (and the data directory's keys) into DEST, a new or empty folder, "
        "while the app keeps running. SQLite: its online backup API; PostgreSQL: pg_dump, "
        "which must be installed. `backstretch restore DEST` puts it back."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dest", help="a folder that does not exist yet, or an empty one")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup(Path(options["dest"]).expanduser())
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {done.kind} database with {done.how} into {done.path}.")
        self.stdout.write(
            "It holds the secret key and everyone's data: keep it as safe as the server."
        )
