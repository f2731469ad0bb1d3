from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from backstretch.core.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and data (safe to run again) and print the logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the logins as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        if options["json"]:
            self.stdout.write(json.dumps([login.as_dict() for login in logins], indent=2))
            return
        self.stdout.write(f"Demo logins (password for all: {logins[0].password})")
        for login in logins:
            where = f", {login.clinic}" if login.clinic else ""
            self.stdout.write(f"  {login.email:<34} {login.role}{where} — {login.name}")
        self.stdout.write("Each patient has six weeks of practice history, ending yesterday.")
