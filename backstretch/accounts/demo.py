"""The demo's people, as the apps that add demo data see them (``core.demo`` runs the demo)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

DEFAULT_DEMO_PASSWORD = "stretch-daily-2026"
HISTORY_DAYS = 42  # six weeks, ending yesterday


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    role: str  # clinic_admin | clinician | patient
    clinic: str | None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def demo_password() -> str:
    return os.environ.get("BACKSTRETCH_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def history_window(time_zone: str, now: datetime | None = None) -> tuple[date, date]:
    """First and last day of the demo history: six weeks ending yesterday, local time."""
    today = (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()
    last = today - timedelta(days=1)
    return last - timedelta(days=HISTORY_DAYS - 1), last
