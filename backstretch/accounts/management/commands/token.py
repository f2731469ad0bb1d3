"""``backstretch token create|list|revoke EMAIL``: personal API tokens from the terminal."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backstretch.accounts.models import ApiToken, User
from backstretch.accounts.tokens import create_token, tokens_of


class Command(BaseCommand):
    help = "Create, list or revoke a user's personal API tokens (sent as 'Authorization: Bearer')."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token and print it (only this once)")
        create.add_argument("email")
        create.add_argument("--name", default="", help="a label, e.g. 'my laptop'")
        listing = actions.add_parser("list", help="show a user's active tokens")
        listing.add_argument("email")
        revoke = actions.add_parser("revoke", help="revoke a token by its prefix (see list)")
        revoke.add_argument("email")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email!r}.")
        action = options["action"]
        if action == "create":
            token, secret = create_token(user, options["name"])
            self.stdout.write(secret)
            self.stderr.write(
                "Keep this token secret: it is shown only now. Send it as "
                "'Authorization: Bearer <token>'; it works until "
                f"{token.expires_at.isoformat(timespec='minutes')}; revoke it sooner with "
                "'backstretch token revoke'."
            )
        elif action == "list":
            tokens = tokens_of(user)
            if not tokens:
                self.stdout.write("No active tokens.")
            for token in tokens:
                used = (
                    token.last_used_at.isoformat(timespec="minutes")
                    if token.last_used_at
                    else "never"
                )
                ends = "expired" if token.has_expired else "expires"
                self.stdout.write(
                    f"{token.prefix}…  {token.name or '-'}  created "
                    f"{token.created_at.isoformat(timespec='minutes')}  last used {used}  "
                    f"{ends} {token.expires_at.isoformat(timespec='minutes')}"
                )
        else:
            prefix = options["prefix"].rstrip("…").strip()
            matching = ApiToken.objects.filter(
                user=user, revoked_at__isnull=True, prefix__startswith=prefix[:10]
            )
            if len(prefix) < 6 or not prefix.startswith("bks_") or matching.count() != 1:
                raise CommandError(
                    f"No single active token of {email} starts with {prefix!r}: "
                    "give the prefix 'backstretch token list' shows."
                )
            matching.update(revoked_at=timezone.now())
            self.stdout.write(f"Revoked {prefix}….")
