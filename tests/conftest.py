from __future__ import annotations

import os

import pytest

from backstretch.library.services import sync_library


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids of one test's rows come back in the next."""
    from django.core.cache import cache

    cache.clear()


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
