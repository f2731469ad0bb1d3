"""The real clock in tests that cannot stop it (a browser's player, a live server)."""

from datetime import UTC, datetime


def noon_zone() -> str:
    """A time zone where it is about noon now (11:00 to 12:59): a patient who lives there cannot
    see her day or her week roll over while a test runs, whatever the hour the suite runs at,
    and a session played on a clock set an hour back still lands on her today."""
    offset = 12 - datetime.now(UTC).hour  # -11 .. +12 hours from UTC
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"  # Etc/GMT signs run the other way
