from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.library import camera
from backstretch.library.schema import DATA_DIR, LibraryError, load_library
from backstretch.library.services import check_translations, sync_library
from backstretch.library.translations import OTHER_DATA_CHECKS


class Command(BaseCommand):
    help = "Check exercise data files, or sync them into the database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Validate exercise files and print clear errors.")
        check.add_argument("path", nargs="?", type=Path, default=DATA_DIR)
        sub.add_parser("sync", help="Load the shipped library into the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            path: Path = options["path"]
            if not path.exists():
                raise CommandError(f"{path}: no such file or directory")
            try:
                exercises = load_library(path)
            except LibraryError as exc:
                for line in exc.problems:
                    self.stderr.write(line)
                raise CommandError(
                    f"{len(exc.problems)} problem(s) found; fix them and run the check again."
                ) from exc
            # Translations: a wrong one is a problem; a missing one is listed (English is used).
            translated = check_translations(exercises, path if path.is_dir() else path.parent)
            problems, missing = list(translated.problems), list(translated.missing)
            # Camera rules against the exercise's own figure (end pose in range, start not).
            camera_problems = camera.problems(exercises)
            others = [check() for check in OTHER_DATA_CHECKS] if path == DATA_DIR else []
            for _what, wrong, absent in others:
                problems.extend(wrong)
                missing.extend(absent)
            for line in problems:
                self.stderr.write(line)
            for line in camera_problems:
                self.stderr.write(line)
            if problems or camera_problems:
                raise CommandError(
                    f"{len(problems)} problem(s) in translations and {len(camera_problems)} in "
                    "camera rules; fix them and run the check again."
                )
            positions = sum(len(e.positions) for e in exercises.values())
            self.stdout.write(f"OK: {len(exercises)} exercises, {positions} positions.")
            coached = sum(1 for e in exercises.values() for v in e.positions.values() if v.camera)
            self.stdout.write(f"OK: camera rules of {coached} positions agree with their figures.")
            for what, _wrong, _absent in others:
                self.stdout.write(f"OK: {what}.")
            for line in missing:
                self.stdout.write(f"Not translated yet (English is used): {line}")
            for code, words in translated.found.items():
                self.stdout.write(f"{code}: {len(words)} of {len(exercises)} exercises translated.")
        else:
            try:
                report = sync_library()
            except LibraryError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Library synced: {report.created} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.retired} retired."
            )
