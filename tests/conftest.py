from __future__ import annotations

import os
import shutil
import unittest
import uuid
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from backstretch.library.services import sync_library

# A busy machine must not fail a property test for being slow: no per-example deadline (each
# test's example count keeps it cheap instead).
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


def _sync_library_into_test_database(**kwargs):
    sync_library()


# Every test database holds the shipped library from the start: synced once when a worker's
# database is made (Django's migrate ends with post_migrate), and again after a transactional
# test empties the tables (its flush ends with post_migrate too). Each test's own transaction
# then starts with the library present instead of syncing it again.
post_migrate.connect(
    _sync_library_into_test_database,
    sender=apps.get_app_config("library"),
    dispatch_uid="tests-sync-library",
)


# Fixtures through which a test reaches a database; pytest-django refuses database access to
# a test that has none of them and no django_db mark. (Every test's closure holds
# django_db_blocker and django_db_setup through pytest-django's own autouse fixtures, so they
# say nothing; a fixture that unblocks the database itself, as in test_demo_data, goes with a
# django_db mark on its tests.)
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
POSTGRESQL_PASS_LEAVES_OUT = (
    "PostgreSQL pass: tests marked own_database, no_database, pages_only or sqlite_only are "
    "deselected. The first run the backstretch command on its own SQLite file, the second use "
    "no database at all, the third check how every page looks in a browser, the fourth test the "
    "embedded SQLite database's own behaviour: none can behave differently on PostgreSQL, and "
    "all ran in the SQLite pass"
)


def pytest_report_header(config):
    if os.environ.get("BACKSTRETCH_TEST_DB") == "postgres":
        return [POSTGRESQL_PASS_LEAVES_OUT]
    return []


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        # A test that runs the console script with cli_env uses the script's own database.
        if "cli_env" in names:
            item.add_marker(pytest.mark.own_database)
        elif not (
            item.get_closest_marker("django_db")
            or names & DATABASE_FIXTURES
            or issubclass(getattr(item, "cls", None) or object, unittest.TestCase)
        ):
            item.add_marker(pytest.mark.no_database)
    if os.environ.get("BACKSTRETCH_TEST_DB") != "postgres":
        return
    kept, deselected = [], []
    for item in items:
        other_database = any(
            item.get_closest_marker(mark)
            for mark in ("own_database", "no_database", "pages_only", "sqlite_only")
        )
        (deselected if other_database else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_unconfigure(config):
    # The run's temp data dir (tests/settings.py) goes with the process that made it: the
    # xdist controller once its workers are done, or the only process without xdist.
    if os.environ.get("BACKSTRETCH_TEST_DATA_DIR_OWNER") == str(os.getpid()):
        shutil.rmtree(os.environ["BACKSTRETCH_DATA_DIR"], ignore_errors=True)


# Noon on Wednesday 18 November 2026, in UTC and in London alike (no summer time in November).
NOON_ON_A_WEDNESDAY = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    """Django's clock stopped at noon on a Wednesday, for a test about "today" or "this week":
    it then means the same day whatever the hour or weekday the suite runs at. Everything that
    asks ``timezone.now()`` sees it (views, services, the live server's thread); sessions made
    from it lie in the past, as the API requires. Ask for it before fixtures that make data."""
    monkeypatch.setattr(timezone, "now", lambda: NOON_ON_A_WEDNESDAY)
    return NOON_ON_A_WEDNESDAY


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in another language leaves it active
    in the thread that served it (the test's own, with Django's test client)."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: ids of one test's rows come back in the next."""
    from django.core.cache import caches

    for each in caches.all():
        each.clear()


class SharedRedis:
    """The test's own corner of a real Redis server: its URL, the prefix of its keys, and the
    keys stored there so far."""

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self.prefix = f"backstretch-test-{uuid.uuid4().hex}"
        self.client = redis.Redis.from_url(url)
        self.client.ping()  # a server that does not answer fails here, saying where it looked

    def keys(self, pattern: str = "*") -> list[bytes]:
        return list(self.client.scan_iter(f"{self.prefix}:{pattern}"))

    def clean_up(self) -> None:
        found = self.keys()
        if found:
            self.client.delete(*found)
        self.client.close()


@pytest.fixture
def redis_cache(settings):
    """The default cache on a real Redis server, as several servers share it
    (``BACKSTRETCH_CACHE_URL=redis://…``): ``BACKSTRETCH_TEST_REDIS_URL``, which .ci/run sets
    after starting one on loopback. The test's keys carry a prefix of their own and are deleted
    afterwards; nothing else on the server is touched. Yields a ``SharedRedis`` to look inside."""
    from backstretch.settings import cache_config

    url = os.environ.get("BACKSTRETCH_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must cover the Redis cache: BACKSTRETCH_TEST_REDIS_URL is not set")
        pytest.skip("set BACKSTRETCH_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run this")
    shared = SharedRedis(url)
    settings.CACHES = {
        **settings.CACHES,
        "default": {**cache_config(url), "KEY_PREFIX": shared.prefix},
    }
    yield shared
    shared.clean_up()


@pytest.fixture(autouse=True)
def staff_pass_their_second_step(monkeypatch):
    """A test client's ``force_login`` of someone with an authenticator app (the cast's staff)
    also passes the second step of signing in, as a full sign-in would (tests/cast.py)."""
    from django.test import Client

    from tests.cast import pass_second_step

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_step(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def library(db):
    """The shipped exercise library (every test database has it: see post_migrate above)."""


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the `backstretch` console script as a user would: the app's own
    settings, a fresh data directory and no test-only overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("BACKSTRETCH_SECRET_KEY", "BACKSTRETCH_DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    env["BACKSTRETCH_DATA_DIR"] = str(tmp_path / "data")
    # Temporary files, `serve`'s port locks among them, stay with the test.
    (tmp_path / "tmp").mkdir()
    env["TMPDIR"] = str(tmp_path / "tmp")
    return env


@pytest.fixture
def patient(library, django_user_model):
    """Alice: a self-guided patient on the daily-four routine, who confirmed her e-mail address
    (reminder e-mails reach her)."""
    from backstretch.accounts.models import PatientProfile
    from tests.cast import on_routine

    user = django_user_model.objects.create_user(
        "alice@example.org",
        "alice-password-1",
        name="Alice",
        time_zone="Europe/London",
        email_verified=True,
    )
    PatientProfile.objects.create(user=user)
    on_routine(user, "daily-four")
    return user


@pytest.fixture
def other_patient(library, django_user_model):
    """Charlie: another patient, who must never see Alice's data."""
    from backstretch.accounts.models import PatientProfile
    from tests.cast import on_routine

    user = django_user_model.objects.create_user("charlie@example.org", "charlie-password-1")
    PatientProfile.objects.create(user=user)
    on_routine(user, "daily-four")
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


@pytest.fixture
def push_service(settings):
    """A Web Push service on loopback that decrypts what it receives (tests/push_service.py)."""
    import threading

    from tests.push_service import PushService, start

    settings.BACKSTRETCH_PUSH_ALLOW_LOOPBACK = True
    holder: list[PushService] = []
    server = start(holder)
    holder.append(PushService(url=f"http://127.0.0.1:{server.server_address[1]}"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()
