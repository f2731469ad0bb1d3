"""``backstretch session --email EMAIL``: play today's routine in the terminal and save it."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import UTC, datetime
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.console import Console

from backstretch import access
from backstretch.accounts.models import User
from backstretch.practice.terminal import (
    Display,
    LineDisplay,
    LiveDisplay,
    PlayPlan,
    Prompter,
    SystemClock,
    make_voice,
    plan_for_version,
    run_session,
)
from backstretch.routines.services import active_routine


def positive_number(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError(text)
    return value


def plan_for(email: str) -> PlayPlan:
    """The patient's routine to play, or a CommandError that says what to do first."""
    patient = User.objects.filter(email__iexact=email.strip()).first()
    if patient is None:
        raise CommandError(f"No user with e-mail {email}")
    if not hasattr(patient, "patient"):
        raise CommandError(
            f"{email} is not set up as a patient yet: log in to Backstretch and finish "
            "setting up (where you stretch, your daily time), then run this again."
        )
    if access.practice_gate(patient) in (access.Gate.NEEDS_SCREEN, access.Gate.NEEDS_CLEARANCE):
        raise CommandError(
            f"{email} has safety questions to answer first: log in to Backstretch and "
            "answer them (or, after answers that need a clinician, be cleared) before the next "
            "session."
        )
    # The patient's own language: the spoken cues, the routine's and exercises' names.
    translation.activate(patient.language or settings.LANGUAGE_CODE)
    routine = active_routine(patient)
    if routine is None:
        raise CommandError(
            f"{email} has no active routine: ask your clinician to prescribe one, or pick a "
            "starting routine in Backstretch, then run this again."
        )
    return plan_for_version(patient, routine.current)


class Command(BaseCommand):
    help = (
        "Play your routine in the terminal: big countdown, spoken cues (espeak-ng), pain "
        "before and after, saved like a session from the phone."
    )
    stealth_options = ("stdin",)  # call_command(..., stdin=...) for tests

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="the patient's e-mail address")
        parser.add_argument(
            "--speed",
            type=positive_number,
            default=1.0,
            help="play this many times faster (e.g. 100 to try it out); default 1",
        )
        parser.add_argument("--mute", action="store_true", help="do not speak the cues")
        parser.add_argument("--no-voice", dest="mute", action="store_true", help="same as --mute")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="start without waiting for Enter, and save without asking when stopped",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: IO[str] = options.get("stdout") or sys.stdout
        stdin: IO[str] = options.get("stdin") or sys.stdin
        plan = plan_for(options["email"])

        console = Console(file=out)

        def write(text: str) -> None:
            out.write(text)
            out.flush()

        def notice(text: str) -> None:
            console.print(text, style="dim", markup=False, highlight=False)

        display: Display = (
            LiveDisplay(console, plan.routine_name) if console.is_terminal else LineDisplay(write)
        )
        interactive = stdin.isatty() and not options["yes"]
        summary = run_session(
            plan,
            prompter=Prompter(stdin, write),
            display=display,
            voice=make_voice(
                muted=options["mute"],
                on_problem=notice,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            ),
            clock=SystemClock(),
            wall=lambda: datetime.now(UTC),
            speed=options["speed"],
            wait_for_enter=interactive,
            save_when_stopped=options["yes"],
        )
        write(summary + "\n")
