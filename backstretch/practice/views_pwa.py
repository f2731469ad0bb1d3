"""Offline use: the web app manifest and the service worker (public, no personal data).

The worker's source is a static file (static/pwa/sw.js); this view serves it from the site's
root, so it may look after /today/, with the list of files to keep for offline use put in
front: their cache-busting URLs and a cache version made from them, so a deploy that changes
any file makes browsers fetch the new set and drop the old one.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from backstretch.library import figure_files

from .badday import BAD_DAY_PARAMETER
from .icons import PICTURES, picture_png

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The app shell: what /today/ and the player need besides their own HTML and the exercise
# figures they name (the worker keeps those with the page: pwa/sw.js).
SHELL = [
    "css/app.css",
    "css/patient.css",
    "css/player.css",
    "img/logo.svg",
    "vendor/htmx.org/dist/htmx.min.js",
]
PAGES_CACHE = "backstretch-pages"  # the same name in pwa/sw.js and pwa/app.js


def shell_files() -> list[str]:
    scripts = [
        f"{folder}/{p.name}"
        for folder in ("player", "pwa")
        for p in sorted((STATIC_DIR / folder).glob("*.js"))
    ]
    return [name for name in SHELL + scripts if name != "pwa/sw.js" and finders.find(name)]


def coach_files_version() -> str:
    """A digest of the camera coach's built files (names and sizes): the service worker keeps
    those a patient has used, and a rebuild from newer packages makes a new worker version,
    which drops them."""
    root = settings.COACH_FILES
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    listing = "\n".join(f"{p.relative_to(root)} {p.stat().st_size}" for p in files)
    return hashlib.sha256(listing.encode()).hexdigest()[:12]


def worker_config() -> dict[str, Any]:
    play = reverse("practice:play")
    assets = [static(name) for name in shell_files()]
    # Today and the player are kept at install; the bad-day version once it has been opened.
    precache = [reverse("practice:today"), play]
    pages = [*precache, f"{play}?version={BAD_DAY_PARAMETER}"]
    return {
        "assets": assets,
        "pages": pages,
        "precache": precache,
        "offline": {
            "lang": get_language() or settings.LANGUAGE_CODE,
            "title": gettext("You are offline"),
            "text": gettext(
                "This page needs the internet. Today's routine and the guided session work "
                "without it, and sessions you do are saved on this phone until they can sync."
            ),
            "link": gettext("Go to Today"),
            "href": reverse("practice:today"),
            "css": static("css/app.css"),
        },
        "static": settings.STATIC_URL,
        "figures": figure_files.URL_PREFIX,
        "coach": settings.COACH_URL,
        "coachFiles": coach_files_version(),
        "pagesCache": PAGES_CACHE,
    }


def _worker_source() -> str:
    path = finders.find("pwa/sw.js")
    return Path(str(path)).read_text(encoding="utf-8")


@cache
def _worker_script(language: str | None = None) -> str:
    """The worker script for the language of its offline page (``language`` keys the cache;
    the language used is the active one)."""
    config = worker_config()
    source = _worker_source()
    digest = hashlib.sha256((json.dumps(config, sort_keys=True) + source).encode()).hexdigest()
    config["version"] = digest[:12]
    return f"const CONFIG = {json.dumps(config)};\n{source}"


@require_GET
@gzip_page
def service_worker(request: HttpRequest) -> HttpResponse:
    language = get_language()
    script = _worker_script(language) if not settings.DEBUG else _worker_script.__wrapped__()
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # browsers look for a new worker on every visit
    return response


ICONS = [
    ("icon-192.png", "any"),
    ("icon-512.png", "any"),
    ("icon-maskable-512.png", "maskable"),
]
# Captures of the app for the install sheet, made by scripts/install-screenshots.py (static
# files: no browser runs where the app is installed). Their sizes are the files' own.
SCREENSHOTS = [
    ("img/install/today-narrow.png", "540x960", "narrow"),
    ("img/install/today-wide.png", "1280x720", "wide"),
]


def _png(name: str, purpose: str = "") -> dict[str, str]:
    picture = PICTURES[name]
    entry = {
        "src": reverse("practice:picture", args=[name]),
        "sizes": f"{picture.width}x{picture.height}",
        "type": "image/png",
    }
    return {**entry, "purpose": purpose} if purpose else entry


@require_GET
def picture(request: HttpRequest, name: str) -> HttpResponse:
    """An icon or install-prompt picture, rendered from the logo on first use (see icons.py)."""
    if name not in PICTURES:
        raise Http404
    response = HttpResponse(picture_png(name), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"  # the same for everyone
    return response


@require_GET
def apple_touch_icon(request: HttpRequest) -> HttpResponse:
    """iOS asks the site's root for it, whatever the page's <link> says."""
    return picture(request, "apple-touch-icon.png")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": gettext("Backstretch"),
        "short_name": gettext("Backstretch"),
        "description": gettext("Your clinician's back-pain stretches, as a guided daily routine."),
        "start_url": reverse("practice:today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f6f1",
        "theme_color": "#0e5c5a",
        "id": reverse("practice:today"),
        "icons": [
            {"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"},
            *(_png(name, purpose) for name, purpose in ICONS),
        ],
        "screenshots": [
            {
                "src": static(path),
                "sizes": sizes,
                "type": "image/png",
                "form_factor": form_factor,
                "label": gettext("Today's routine, ready to start"),
            }
            for path, sizes, form_factor in SCREENSHOTS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"  # the same for everyone
    return response
