"""``backstretch totp EMAIL``: the code a demo staff account's authenticator shows now.

Only for the demo's own staff accounts (their authenticator has the demo's printed secret):
for any other account it refuses, so it can never stand in for a real person's phone.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backstretch.accounts.demo import demo_code
from backstretch.accounts.models import User
from backstretch.core.demo import demo_emails


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo staff account (demo accounts only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="a demo staff account, e.g. omar@demo.backstretch.test")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        found = demo_code(user) if user is not None and email in demo_emails() else None
        if found is None:
            raise CommandError(
                f"{email} is not a demo staff account with the demo's authenticator: this "
                "command shows codes for those only. Run 'backstretch demo' to make them; a "
                "real account's code comes from its owner's app."
            )
        self.stdout.write(found.code)
        self.stderr.write(f"(valid for about {found.seconds_left} more seconds)")
