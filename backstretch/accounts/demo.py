"""The demo's people, as the apps that add demo data see them (``core.demo`` runs the demo)."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .twofactor import DEMO_DEVICE, secret_of

DEFAULT_DEMO_PASSWORD = "stretch-daily-2026"
HISTORY_DAYS = 42  # six weeks, ending yesterday


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    role: str  # clinic_admin | clinician | patient
    clinic: str | None
    # Staff sign in with a second step: the demo's authenticator secret (the same for all).
    totp_secret: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def demo_password() -> str:
    return os.environ.get("BACKSTRETCH_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def history_window(time_zone: str, now: datetime | None = None) -> tuple[date, date]:
    """First and last day of the demo history: six weeks ending yesterday, local time."""
    today = (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()
    last = today - timedelta(days=1)
    return last - timedelta(days=HISTORY_DAYS - 1), last


# The demo staff's authenticator secret: published (printed by `backstretch demo`), like the
# demo password. 20 bytes, as authenticator apps expect.
DEMO_TOTP_KEY = b"backstretch-demo-otp".hex()


def give_demo_device(user: User) -> TOTPDevice:
    """The demo staff member's authenticator, with the printed secret (confirmed)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return device


def demo_secret() -> str:
    return secret_of(TOTPDevice(key=DEMO_TOTP_KEY))


@dataclass(frozen=True)
class DemoCode:
    code: str
    seconds_left: int


def demo_code(user: User, now: float | None = None) -> DemoCode | None:
    """The code the demo authenticator of ``user`` shows now; None unless they have one."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE, confirmed=True).first()
    if device is None or device.key != DEMO_TOTP_KEY:
        return None
    moment = time.time() if now is None else now
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    left = device.step - int(moment - device.t0) % device.step
    return DemoCode(f"{value:0{device.digits}d}", left)
