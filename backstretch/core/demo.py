"""Demo data for trying Backstretch: idempotent, grown by each domain as its models arrive."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from django.db import transaction

from backstretch.accounts.models import User

DEFAULT_DEMO_PASSWORD = "stretch-daily-2026"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    role: str  # clinic_admin | clinician | patient
    clinic: str | None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


# (email, name, role, clinic). Clinics arrive with the clinician portal; until then every
# demo person is a self-guided patient.
DEMO_PEOPLE = [
    ("maria@demo.backstretch.test", "Maria Lopez", "patient", None),
    ("tom@demo.backstretch.test", "Tom Becker", "patient", None),
    ("june@demo.backstretch.test", "June Okafor", "patient", None),
]


def demo_password() -> str:
    return os.environ.get("BACKSTRETCH_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create (or refresh) the demo accounts; running it twice changes nothing more."""
    password = demo_password()
    logins = []
    for email, name, role, clinic in DEMO_PEOPLE:
        user, _ = User.objects.get_or_create(email=email, defaults={"name": name})
        user.name = name
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        logins.append(DemoLogin(email, password, name, role, clinic))
    return logins
