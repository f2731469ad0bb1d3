"""Settings: one file, driven by BACKSTRETCH_* environment variables (see .env.example)."""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(
    os.environ.get("BACKSTRETCH_DATA_DIR") or platformdirs.user_data_dir("backstretch")
).expanduser()


def load_secret_key(data_dir: Path) -> str:
    """The key from the environment, else one generated once and kept in the data dir (0600)."""
    from_env = os.environ.get("BACKSTRETCH_SECRET_KEY")
    if from_env:
        return from_env
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def vapid_key_file(data_dir: Path) -> Path:
    """The Web Push signing key: BACKSTRETCH_VAPID_KEY_FILE, else one generated once into the
    data dir (0600), as the secret key is."""
    from backstretch.push.vapid import ensure_key_file

    path = Path(os.environ.get("BACKSTRETCH_VAPID_KEY_FILE") or data_dir / "vapid_private_key.pem")
    ensure_key_file(path.expanduser())
    return path.expanduser()


DEBUG = env_bool("BACKSTRETCH_DEBUG", False)
SECRET_KEY = load_secret_key(DATA_DIR)
BACKSTRETCH_VAPID_KEY_FILE = vapid_key_file(DATA_DIR)
ALLOWED_HOSTS = env_list("BACKSTRETCH_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BACKSTRETCH_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",  # the API docs page (/api/docs) serves Swagger UI from our own static files
    "backstretch.core",
    "backstretch.accounts",
    "backstretch.library",
    "backstretch.routines",
    "backstretch.safety",
    "backstretch.practice",
    "backstretch.clinic",
    "backstretch.reminders",
    "backstretch.outcomes",
    "backstretch.push",
    "backstretch.messaging",
]

# --- Data portability (branch "export"): a patient's record as FHIR R4 and a plain zip, and
# erasing it on request (backstretch/records, docs/data.md). Sits above clinic in the layers.
INSTALLED_APPS += ["backstretch.records"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backstretch.core.middleware.CompressText",
    "backstretch.core.middleware.json_errors_under_api",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backstretch.core.middleware.time_zone_of_reader",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "backstretch.urls"
WSGI_APPLICATION = "backstretch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backstretch.clinic.context.clinic_nav",
                "backstretch.messaging.context.message_nav",
            ],
        },
    },
]


def database_config() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "backstretch.sqlite3",
        # Keep each worker's connection (and SQLite's page cache with it) between requests.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # synchronous=FULL: each commit is synced to disk before the answer goes out, so
            # an acknowledged session survives a power cut, not only a crash.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000; "
                "PRAGMA cache_size=-32000;"
            ),
        },
    }


DATABASES = {"default": database_config()}


def cache_config(url: str) -> dict[str, object]:
    """Django's cache (compiled timelines, the clinician dashboard's rows).

    Empty: each server process keeps its own in memory. To share one among the processes of
    several servers, ``redis://host:6379/0`` (Django's RedisCache; needs ``pip install redis``)
    or, for the processes of one machine, ``file:///var/cache/backstretch`` (a directory).
    """
    # Room for a big caseload's rows and triage (two entries per patient) and the timelines.
    options = {"MAX_ENTRIES": 20_000}
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "backstretch",
            "OPTIONS": options,
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                "BACKSTRETCH_CACHE_URL is a Redis URL: install the redis package "
                "(pip install redis)"
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        "BACKSTRETCH_CACHE_URL must start with redis://, rediss://, unix:// or file://"
    )


CACHES = {"default": cache_config(os.environ.get("BACKSTRETCH_CACHE_URL", ""))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
_node_modules = BASE_DIR.parent / "node_modules"
if _node_modules.is_dir():
    STATICFILES_DIRS.append(("vendor/htmx.org/dist", _node_modules / "htmx.org" / "dist"))
WHITENOISE_MANIFEST_STRICT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("BACKSTRETCH_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_HOST = os.environ.get("BACKSTRETCH_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("BACKSTRETCH_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BACKSTRETCH_FROM_EMAIL", "Backstretch <noreply@localhost>")
EMAIL_HOST_USER = os.environ.get("BACKSTRETCH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BACKSTRETCH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BACKSTRETCH_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = 30
# The site's address as people reach it, for every absolute link (backstretch/links.py).
# Empty: `backstretch serve` fills in the address it listens on for its worker processes.
BACKSTRETCH_BASE_URL = os.environ.get("BACKSTRETCH_BASE_URL", "")
# Who push services may contact about our notifications (the VAPID "sub" claim).
BACKSTRETCH_PUSH_CONTACT = os.environ.get("BACKSTRETCH_PUSH_CONTACT") or (
    "mailto:" + DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
)
# A browser's push service is a public HTTPS address; anything else is refused (tests allow
# the push service they run on loopback).
BACKSTRETCH_PUSH_ALLOW_LOOPBACK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BACKSTRETCH_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
