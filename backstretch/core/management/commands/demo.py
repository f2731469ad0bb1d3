from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from backstretch.core.demo import DemoLogin, remove_demo, run_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo accounts and data (safe to run again) and print the logins; "
        "--remove deletes them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the logins as JSON")
        parser.add_argument(
            "--remove",
            action="store_true",
            help="delete the demo accounts, everything that is theirs, and the demo clinics",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove"]:
            removed = remove_demo()
            self.stdout.write(
                f"Removed the demo: {removed.accounts} account"
                f"{'' if removed.accounts == 1 else 's'} with their data, {removed.clinics} "
                f"clinic{'' if removed.clinics == 1 else 's'}."
            )
            return
        logins = run_demo()
        if options["json"]:
            self.stdout.write(json.dumps([login.as_dict() for login in logins], indent=2))
            return
        self.stdout.write(f"Demo logins (password for all: {logins[0].password})")
        clinics: dict[str, list[DemoLogin]] = {}
        for login in logins:
            clinics.setdefault(login.clinic or "", []).append(login)
        for clinic, people in clinics.items():
            self.stdout.write("")
            self.stdout.write(clinic or "Self-guided")
            for login in people:
                role = login.role.replace("_", " ")
                self.stdout.write(f"  {login.email:<32} {role:<13} {login.name}")
        self.stdout.write("")
        self.stdout.write(
            "Each patient has six weeks of practice history, ending yesterday. "
            "Log in as a clinician and open /clinic/ to see who needs a call."
        )
        staff = [login for login in logins if login.totp_secret]
        if staff:
            secret = staff[0].totp_secret
            example = next((login for login in staff if login.role == "clinician"), staff[0])
            self.stdout.write("")
            self.stdout.write(
                "Clinic staff type a code from an authenticator app after the password. "
                "Every demo staff account uses this key (add it to any authenticator app):"
            )
            self.stdout.write(f"  {secret}")
            self.stdout.write(
                "or print the current code with: backstretch totp EMAIL "
                f"(e.g. backstretch totp {example.email})"
            )
