"""``backstretch twofactor status|reset EMAIL``: see, or reset, a person's two-step sign-in.

For a clinician who lost their phone (and their recovery codes): ``reset`` deletes their
authenticator and recovery codes; at their next log-in they set up a new app. Each reset is
written to the audit log of every clinic they work at (``--by`` names who did it).
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backstretch.accounts import twofactor
from backstretch.accounts.models import User
from backstretch.clinic.models import AuditEvent, Clinic

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Show or reset a user's two-step sign-in (e.g. a clinician who lost their phone)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        status = actions.add_parser("status", help="is it on, and how many recovery codes are left")
        status.add_argument("email")
        reset = actions.add_parser(
            "reset", help="delete the user's authenticator and recovery codes (audited)"
        )
        reset.add_argument("email")
        reset.add_argument(
            "--by", default="", help="your own account's e-mail address, for the audit log"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["email"])
        if options["action"] == "status":
            if twofactor.has_second_factor(user):
                left = twofactor.recovery_codes_left(user)
                self.stdout.write(f"{user.email}: on, {left} unused recovery codes.")
            else:
                required = " (required: they set it up at their next log-in)"
                self.stdout.write(
                    f"{user.email}: off{required if twofactor.must_use(user) else ''}."
                )
            return
        by = self._user(options["by"]) if options["by"] else None
        with transaction.atomic():
            removed = twofactor.remove_second_factor(user)
            who = f" by {by.email}" if by else " by the server's operator"
            what = f"two-step sign-in reset for {user.email}{who} (backstretch twofactor reset)"
            clinics = Clinic.objects.filter(memberships__user=user).distinct()
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    clinic=clinic,
                    actor=by,
                    patient=None,
                    action=AuditEvent.Action.CHANGE,
                    what=what[:200],
                )
                for clinic in clinics
            )
        log.warning("%s (%d devices removed)", what, removed)
        if not removed:
            self.stdout.write(f"{user.email} had no two-step sign-in set up: nothing to reset.")
            return
        self.stdout.write(
            f"Reset {user.email}'s two-step sign-in: their authenticator and recovery codes no "
            "longer work. At their next log-in they set up a new app"
            + (" (required for clinic staff)." if twofactor.must_use(user) else ".")
        )

    def _user(self, email: str) -> User:
        address = email.strip().lower()
        user = User.objects.filter(email=address).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {address!r}.")
        return user
