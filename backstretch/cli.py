"""The ``backstretch`` console script: Django's management commands plus ours.

A setting that cannot be used (a malformed ``DATABASE_URL``, say) or a database that cannot
be reached ends the command with one line that says what to fix, not a traceback.
"""

from __future__ import annotations

import gc
import os
import sys


def fail(message: str) -> None:
    sys.stderr.write(f"Error: {message}\n")
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:
        # Loading the application makes some 100,000 objects that live as long as the server,
        # and Python's collector went over them again and again meanwhile (about a sixth of
        # serve's start-up). The server turns it back on as it forks its workers, after
        # moving those objects out of its way (backstretch/core/server.py).
        gc.disable()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backstretch.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import InterfaceError, OperationalError

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading it loads the settings)
    except ImproperlyConfigured as error:
        fail(str(error))
    try:
        execute_from_command_line(["backstretch", *args])
    except (OperationalError, InterfaceError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        fail(
            f"the database did not answer: {reason}. Check that it is running and that "
            "DATABASE_URL is right."
        )


if __name__ == "__main__":
    main()
