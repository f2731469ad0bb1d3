"""Settings: one file, driven by BACKSTRETCH_* environment variables (see .env.example)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # django_htmx is used for its middleware and helpers only, which need no app entry: as an
    # app it would add its own copies of htmx (156 static files to collect and for whitenoise
    # to index at every start); pages load the pinned htmx from node_modules (vendor/).
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

# --- Background work (branch "tasks"): the backport of Django 6's tasks API, its queue kept in
# our own database (SQLite or PostgreSQL alike) and run by `backstretch worker`
# (backstretch/core/worker.py, docs/operations.md). Clinic exports are its first job.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backstretch.library.figure_files.ServeFigures",  # /figures/, also by whitenoise
    "backstretch.core.coach_files.ServeCoachFiles",  # /coach/, also by whitenoise
    "backstretch.core.middleware.CompressText",
    "backstretch.core.middleware.json_errors_under_api",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backstretch.core.middleware.language_of_reader",
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
            # {{ day|long_date:"j F Y" }}: dates as the reader's language writes them.
            "builtins": ["backstretch.dates"],
        },
    },
]


# --- Deployment (issue 14): a DATABASE_URL that cannot be used is one clear error. ---------
def database_from_url(url: str) -> dict[str, object]:
    example = "postgres://user:password@host:5432/backstretch"
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address such as {example}: fix it, or leave it "
            "empty for the embedded SQLite database"
        ) from None
    engine = str(config.get("ENGINE", ""))
    if not engine.endswith(("postgresql", "sqlite3")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must name a PostgreSQL database, such as {example} "
            f"(Backstretch does not support {engine.rsplit('.', 1)[-1] or 'that database'})"
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL names no database: end it with one, as in {example}"
        )
    return config


# --- end of the deployment block's DATABASE_URL part (the rest is at the end of this file) ---


def database_config() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return database_from_url(url)  # in the deployment block above
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        # Django's SQLite backend, queueing a server's writers in turn (core/write_gate.py).
        "ENGINE": "backstretch.core.gated_sqlite3",
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


FRAGMENTS = "fragments"  # the cache alias for the pieces every page shows (below)


def cache_config(url: str) -> dict[str, object]:
    """Django's cache (compiled timelines, the clinician dashboard's rows).

    Empty: each server process keeps its own in memory. To share one among the processes of
    several servers, ``redis://host:6379/0`` (Django's RedisCache)
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


CACHES = {
    "default": cache_config(os.environ.get("BACKSTRETCH_CACHE_URL", "")),
    # Pieces of HTML that every page shows, each a function of its key alone (the language,
    # what the reader may see) and naming no one: the menu and the page head. Each process
    # keeps its own, even where several servers share the default cache, since they never
    # go stale and a few hundred cover every case: every page saves itself the round trips.
    FRAGMENTS: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "backstretch-fragments",
        "OPTIONS": {"MAX_ENTRIES": 1_000},
    },
}

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
# Adding a language: a line here, its catalogue under backstretch/locale/ and its exercise
# texts under library/data/<code>/ (CONTRIBUTING.md, "Adding a language"). Each name is
# written in its own language, as its readers look for it in a list.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
_node_modules = BASE_DIR.parent / "node_modules"
if _node_modules.is_dir():
    STATICFILES_DIRS.append(("vendor/htmx.org/dist", _node_modules / "htmx.org" / "dist"))
# The camera coach's pose model and browser runtime, built by `make install`
# (scripts/build-pose-model.py) and served at COACH_URL (core/coach_files.py; the service
# worker keeps those a patient has used); absent where mediapipe cannot be installed.
COACH_FILES = BASE_DIR.parent / "build" / "coach"
COACH_URL = "/coach/"
WHITENOISE_MANIFEST_STRICT = False
# The exercise figures, drawn once into files named by their content and served from
# /figures/ (library/figure_files.py): beside the collected static files, written as needed.
BACKSTRETCH_FIGURES_ROOT = DATA_DIR / "figures"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "backstretch.core.static_storage.StaticFilesStorage"
        )
    },
}

# Django's database sessions, read with plain SQL on every request (core/sessions.py).
SESSION_ENGINE = "backstretch.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
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


# --- Deployment on the internet (issue 14; README "Putting it on the internet") -------------
# The public address decides the rest. BACKSTRETCH_BASE_URL=https://... declares HTTPS: the
# session and CSRF cookies then travel only over HTTPS, browsers are told to come back only
# over HTTPS (HSTS, a year by default), and the address's host is allowed and its origin
# trusted for forms. BACKSTRETCH_BEHIND_PROXY=1 says a proxy in front terminates TLS and sets
# X-Forwarded-Proto: only then is that header believed (a client could forge it otherwise) and
# plain-HTTP requests redirected to HTTPS (/healthz excepted, for load balancers' probes).


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r})")
    return int(value)


_public = urlsplit(BACKSTRETCH_BASE_URL.strip())
_public_ok = _public.scheme in ("http", "https") and bool(_public.hostname)
HTTPS_DECLARED = _public_ok and _public.scheme == "https"
BEHIND_PROXY = env_bool("BACKSTRETCH_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("BACKSTRETCH_HTTPS_REDIRECT", HTTPS_DECLARED and BEHIND_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("BACKSTRETCH_HSTS_SECONDS", 31_536_000 if HTTPS_DECLARED else 0)
# includeSubDomains covers the names under the site's own (stretch.example.org), not its
# parent domain. Preloading is a decision for whoever owns the whole domain: off unless asked,
# and then Django's reminder that it is off (security.W021) is not a fault of this site.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BACKSTRETCH_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("BACKSTRETCH_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("BACKSTRETCH_SECURE_COOKIES", HTTPS_DECLARED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
ALLOWED_HOSTS = env_list("BACKSTRETCH_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BACKSTRETCH_CSRF_TRUSTED_ORIGINS", "")


def trust_public_address(base_url: str, hosts: list[str], origins: list[str]) -> None:
    """Allow the public address's host and trust its origin for forms (added in place).

    Also called by ``serve`` when it makes the address it listens on the public one."""
    public = urlsplit(base_url.strip())
    if public.scheme not in ("http", "https") or not public.hostname:
        return
    if public.hostname not in hosts:
        hosts.append(public.hostname)
    origin = f"{public.scheme}://{public.netloc}"
    if origin not in origins:
        origins.append(origin)


trust_public_address(BACKSTRETCH_BASE_URL, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS)
# --- end of the deployment block -------------------------------------------------------------

# --- Sign-in and accounts (issue 14; docs/accounts.md) ---------------------------------------
# django-axes counts failed log-ins (the log-in page, /admin/ and API tokens) per e-mail address
# and client address, and refuses that pair for a cool-off after too many.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    # django-axes's lock-out before the password is checked, Django's password check, and the
    # signed-in person loaded in one query (backstretch/core/backends.py): logging in names it.
    "backstretch.core.backends.SignedInBackend",
    # Only for sessions begun before the one above existed: they name this one.
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += [
    "backstretch.core.idle.sign_out_idle_staff",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into our "wait" answer
]
AXES_FAILURE_LIMIT = env_int("BACKSTRETCH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BACKSTRETCH_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the log-in forms' field (the e-mail address)
AXES_USERNAME_CALLABLE = "backstretch.accounts.throttle.username_of"
AXES_CLIENT_IP_CALLABLE = "backstretch.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "backstretch.accounts.throttle.locked_out"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # no row per successful log-in: only failures are kept
# Proxies in front of the app that append the client's address to X-Forwarded-For (0: none,
# the client is REMOTE_ADDR; a header nobody vouches for is never believed). Behind a proxy
# (BACKSTRETCH_BEHIND_PROXY=1) that is one unless said otherwise.
BACKSTRETCH_TRUSTED_PROXIES = env_int("BACKSTRETCH_TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
# Clinic staff are signed out after this long without a request; patients keep their session
# (SESSION_COOKIE_AGE, two weeks) because they open the installed app every day.
BACKSTRETCH_STAFF_IDLE_MINUTES = env_int("BACKSTRETCH_STAFF_IDLE_MINUTES", 30)
# Personal API tokens stop working this many days after they are made.
BACKSTRETCH_API_TOKEN_DAYS = env_int("BACKSTRETCH_API_TOKEN_DAYS", 90)
# A password-reset link works for this long (Django counts it in seconds).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# ---- Content-Security-Policy, no-store, Clear-Site-Data (issue 14: safe on the internet) ----
# Every page may run and style itself only from our own files: no inline script, style, style
# attribute or event handler; no other origin; no framing; forms post only to us. The one nonce
# is for the player's import map: browsers read an import map only inline.
from csp.constants import NONCE, NONE, SELF  # noqa: E402 (kept inside this block on purpose)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# After whitenoise (and the figure and camera coach files), so static files (which run
# nothing of their own) go out without the header and keep their long cache lifetimes; pages,
# API answers and the service worker's script get it, and no-store unless their view chose a
# lifetime of its own (see core/middleware.py): pages and answers carry health or personal
# data that no browser or proxy cache may keep. Logging out clears what the browser kept
# (accounts/views.py).
_after_whitenoise = MIDDLEWARE.index("backstretch.core.coach_files.ServeCoachFiles") + 1
MIDDLEWARE[_after_whitenoise:_after_whitenoise] = [
    "csp.middleware.CSPMiddleware",
    "backstretch.core.middleware.no_store_by_default",
]

# --- Limits (issue 14: input limits, audit, invitations) ------------------------------------
# Each account's writes are counted and refused past a limit (backstretch/core/ratelimit.py)
# once the request knows who is writing, so right after Django's authentication.


def _writes(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of writes, 1 or more: {raw!r}")
    return int(raw)


# (writes, seconds): per account, at most this many writes in any clock minute and day.
BACKSTRETCH_WRITE_LIMITS = (
    (_writes("BACKSTRETCH_WRITES_PER_MINUTE", 60), 60),
    (_writes("BACKSTRETCH_WRITES_PER_DAY", 1000), 24 * 60 * 60),
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "backstretch.core.middleware.LimitWrites",
)
# --- end of limits ---------------------------------------------------------------------------

# --- Two-step sign-in (issue 14): an authenticator app and recovery codes (django-otp) -------
# Required for clinic staff, optional for patients (backstretch/accounts/twofactor.py,
# docs/accounts.md). django-otp's middleware says which device verified a session; ours sends
# a session that still owes its code to the code page before anything else.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("backstretch.core.idle.sign_out_idle_staff") + 1,
    "backstretch.core.second_factor.AskForSecondFactor",
)
OTP_TOTP_ISSUER = "Backstretch"
# Wrong codes count towards django-axes's lock-out (AXES_FAILURE_LIMIT), as wrong passwords
# do; django-otp's own growing delay would refuse a right code typed just after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret

# Anonymous requests that send e-mail (sign-up, password reset, sign-in links), per hour:
# from one client address, and for one e-mail address (backstretch/accounts/limits.py).
BACKSTRETCH_ANONYMOUS_PER_IP_HOUR = env_int("BACKSTRETCH_ANONYMOUS_PER_IP_HOUR", 20)
BACKSTRETCH_ANONYMOUS_PER_ADDRESS_HOUR = env_int("BACKSTRETCH_ANONYMOUS_PER_ADDRESS_HOUR", 5)
