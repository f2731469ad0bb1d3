from __future__ import annotations

import os

import pytest

from backstretch.library.services import sync_library


@pytest.fixture
def library(db):
    """The shipped exercise library, synced into the test database."""
    sync_library()


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the `backstretch` console script as a user would: the app's own
    settings, a fresh data directory and no test-only overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("BACKSTRETCH_SECRET_KEY", "BACKSTRETCH_DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    env["BACKSTRETCH_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture
def patient(library, django_user_model):
    """Alice: a self-guided patient on the daily-four routine."""
    from backstretch.accounts.models import PatientProfile
    from backstretch.routines.services import start_routine_from_template

    user = django_user_model.objects.create_user(
        "alice@example.org", "alice-password-1", name="Alice", time_zone="Europe/London"
    )
    PatientProfile.objects.create(user=user)
    start_routine_from_template(user, "daily-four")
    return user


@pytest.fixture
def other_patient(library, django_user_model):
    """Charlie: another patient, who must never see Alice's data."""
    from backstretch.accounts.models import PatientProfile
    from backstretch.routines.services import start_routine_from_template

    user = django_user_model.objects.create_user("charlie@example.org", "charlie-password-1")
    PatientProfile.objects.create(user=user)
    start_routine_from_template(user, "daily-four")
    return user


# --- The cast (tests/cast.py): each person is built only when a test asks for them. ---------


@pytest.fixture
def northside(db):
    from backstretch.clinic.models import Clinic

    return Clinic.objects.create(name="Northside")


@pytest.fixture
def southside(db):
    from backstretch.clinic.models import Clinic

    return Clinic.objects.create(name="Southside")


@pytest.fixture
def bob(northside, patient):
    """Bob: a clinician at Northside, who invited Alice: she is his patient there."""
    from tests.cast import join, make_staff

    bob = make_staff(northside, "bob@example.org", "bob-password-1", "Bob")
    join(northside, bob, patient)
    return bob


@pytest.fixture
def dana(northside):
    """Dana: Northside's clinic admin, not a clinician (she sees no clinical data)."""
    from tests.cast import make_staff

    return make_staff(northside, "dana@example.org", "dana-password-1", clinician=False)


@pytest.fixture
def eve(southside):
    """Eve: a clinician at Southside, who must never see Northside's patients."""
    from tests.cast import make_staff

    return make_staff(southside, "eve@example.org", "eve-password-1", "Eve")


@pytest.fixture
def frank(southside):
    """Frank: Southside's clinic admin, who must never manage Northside."""
    from tests.cast import make_staff

    return make_staff(southside, "frank@example.org", "frank-password-1", clinician=False)
