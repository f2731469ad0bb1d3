from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from backstretch.core.backup import BackupError
from backstretch.core.copy import copy_to
from backstretch.settings import database_from_url


class Command(BaseCommand):
    help = (
        "Copy every row of this site's database (the SQLite file, typically) into another, "
        "empty one, e.g. PostgreSQL: stop the servers and workers first, run this, then start "
        "them with DATABASE_URL set to the new database (docs/operations.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "database_url", help="the empty target, e.g. postgres://user@host:5432/backstretch"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = database_from_url(options["database_url"])
        except ImproperlyConfigured as error:
            raise CommandError(str(error).replace("DATABASE_URL", "the target")) from None
        source = settings.DATABASES["default"]
        if str(config.get("NAME")) == str(source["NAME"]) and config.get("HOST") == source.get(
            "HOST"
        ):
            raise CommandError("the target is this site's own database: give another one")
        try:
            counts = copy_to(config)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Copied {sum(counts.values())} rows in {len(counts)} tables into "
            f"{config.get('NAME')}. Now start Backstretch with DATABASE_URL set to it."
        )
