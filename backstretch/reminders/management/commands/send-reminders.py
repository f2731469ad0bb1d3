from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.reminders.services import send_due


class Command(BaseCommand):
    help = (
        "Send the reminder e-mails that are due now. Safe to run every minute from cron or a "
        "systemd timer, and from several machines at once: each reminder goes out only once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            help="pretend it is this moment (ISO 8601 with offset, e.g. 2026-03-30T07:30+01:00)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(f"--now: not an ISO 8601 date and time ({error})") from None
            if now.tzinfo is None:
                raise CommandError("--now: add a UTC offset, e.g. 2026-03-30T07:30+01:00")
        summary = send_due(now)
        self.stdout.write(
            f"sent {summary.sent}, failed {summary.failed}, "
            f"already sent by another run {summary.skipped}, "
            f"held (no routine, or safety answers waiting for a clinician) {summary.held}"
        )
        if summary.failed:
            raise CommandError(f"{summary.failed} reminder(s) could not be sent; see the log")
