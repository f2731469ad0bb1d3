"""The app's settings, adjusted for the test suite (data in a temp dir, plain static storage).

``BACKSTRETCH_TEST_DB=postgres`` runs the suite on ``BACKSTRETCH_TEST_DATABASE_URL``;
pytest-django creates and drops a ``test_…`` database there, named for this run so that two
suites on one server never share one.

The temp dir is made once per run (xdist workers inherit it through the environment) and
removed at the end of the run by the process that made it (see tests/conftest.py).
"""

import os
import secrets
import tempfile

if "BACKSTRETCH_DATA_DIR" not in os.environ:
    os.environ["BACKSTRETCH_DATA_DIR"] = tempfile.mkdtemp(prefix="backstretch-test-")
    os.environ["BACKSTRETCH_TEST_DATA_DIR_OWNER"] = str(os.getpid())
os.environ.setdefault("BACKSTRETCH_TEST_RUN", secrets.token_hex(4))
os.environ.setdefault("BACKSTRETCH_SECRET_KEY", "test-only-secret-key-not-for-production-use-xx")
os.environ.pop("DATABASE_URL", None)

import dj_database_url

from backstretch.settings import *  # noqa: F403
from backstretch.settings import DATABASES, STATIC_ROOT, STORAGES

if os.environ.get("BACKSTRETCH_TEST_DB") == "postgres":
    url = os.environ.get("BACKSTRETCH_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("BACKSTRETCH_TEST_DB=postgres needs BACKSTRETCH_TEST_DATABASE_URL")
    DATABASES["default"] = dict(dj_database_url.parse(url))
    # One name per run (pytest-django adds each xdist worker's suffix to it).
    run = os.environ["BACKSTRETCH_TEST_RUN"]
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{run}"}

os.makedirs(STATIC_ROOT, exist_ok=True)  # whitenoise warns on every request otherwise
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; argon2 in prod

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, as in production (WAL, busy timeout), not shared-cache memory: concurrent
    # requests in tests then lock and wait the way they do for real users.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.environ["BACKSTRETCH_DATA_DIR"], "test.sqlite3")
    }
