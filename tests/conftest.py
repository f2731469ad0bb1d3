from __future__ import annotations

import pytest

from backstretch.library.services import sync_library


@pytest.fixture
def library(db):
    """The shipped exercise library, synced into the test database."""
    sync_library()
