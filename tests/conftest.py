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
