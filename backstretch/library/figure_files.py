"""Figure files: each drawing of a shipped exercise written once as an SVG file named by its
content, and served from ``/figures/`` by whitenoise as an immutable file (cached for years),
so pages reference it with ``<img>`` instead of carrying the drawing inline.

A drawing is a pure function of the shipped library: its file holds no text (the ``<img>``
carries the words, in the reader's language), so one file serves every language, and its name
is ``<slug>_<position>_<side>_<frame>.<first 12 hex of the SHA-256 of its bytes>.svg``. The
file is written the first time a process needs its name (beside it a gzip copy, which
whitenoise sends to browsers that take it). A request for a name no file has yet (another
server of the site drew it, or the folder was emptied) is drawn on the spot when the name is
one this library draws, byte for byte, and a 404 otherwise. Files are written to a temporary
name and renamed, so a reader never sees half a file, whichever process writes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from whitenoise.base import WhiteNoise  # type: ignore[import-untyped]  # no type hints shipped
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

from . import figures, schema

URL_PREFIX = "/figures/"
NAME = re.compile(
    r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)_(?P<position>[a-z]+)_(?P<side>left|right)"
    r"_(?P<frame>start|end|animated)\.(?P<digest>[0-9a-f]{12})\.svg$"
)


@dataclass(frozen=True)
class FigureFile:
    name: str
    width: str  # the drawing's natural size in pixels, as in the file (the <img>'s too)
    height: str

    @property
    def url(self) -> str:
        return URL_PREFIX + self.name


def folder() -> Path:
    return Path(settings.BACKSTRETCH_FIGURES_ROOT)


def _name(slug: str, position: str, side: str, frame: str, svg: bytes) -> str:
    digest = hashlib.sha256(svg).hexdigest()[:12]
    return f"{slug}_{position}_{side}_{frame}.{digest}.svg"


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _store(name: str, svg: bytes) -> Path:
    """The file ``name`` holding ``svg``, written unless it is there (gzip copy first, so a
    file seen always has its copy)."""
    path = folder() / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path.with_name(name + ".gz"), gzip.compress(svg, compresslevel=9, mtime=0))
        _write(path, svg)
    return path


# shipped()'s answers by the id of the (frozen) exercise asked about, which each entry keeps
# alive so the id is not reused: a page of 26 figures would otherwise compare 26 whole
# definitions on every request (models.Exercise.spec keeps one object per row and language).
SHIPPED_KEPT = 2000
_shipped: dict[int, tuple[schema.Exercise, str, bool]] = {}


def shipped(exercise: schema.Exercise) -> bool:
    """Whether ``exercise`` is exactly the shipped library's copy, in the language of the page
    (so its figure may be cached, and has a file)."""
    language = translation.get_language() or ""
    known = _shipped.get(id(exercise))
    if known is not None and known[0] is exercise and known[1] == language:
        return known[2]
    answer = figures.shipped_library_in(language).get(exercise.slug) == exercise
    if len(_shipped) >= SHIPPED_KEPT:
        _shipped.clear()
    _shipped[id(exercise)] = (exercise, language, answer)
    return answer


@cache
def _document(slug: str, position: schema.Position, side: str, frame: str) -> str:
    """A shipped exercise's figure file, memoised: the same in every language (no text)."""
    return figures.render_document(figures.shipped_library()[slug], position, side, frame)


@cache
def figure_file(slug: str, position: schema.Position, side: str, frame: str) -> FigureFile:
    """The file of a shipped exercise's figure, written if need be (once per process)."""
    svg = _document(slug, position, side, frame)
    data = svg.encode()
    name = _name(slug, position.value, side, frame, data)
    _store(name, data)
    size = re.search(r'width="([0-9]+)" height="([0-9]+)"', svg)
    assert size is not None  # figures.render_document always writes both
    return FigureFile(name, size[1], size[2])


def file_for(name: str) -> Path | None:
    """The file called ``name``, drawn now if the shipped library draws exactly that file and
    it is not on disk yet; None for any other name."""
    match = NAME.match(name)
    if match is None:
        return None
    path = folder() / name
    if path.is_file():
        return path
    slug, side, frame = match["slug"], match["side"], match["frame"]
    try:
        position = schema.Position(match["position"])
        spec = figures.shipped_library()[slug]
    except (ValueError, KeyError):
        return None
    if position not in spec.positions:
        return None
    data = _document(slug, position, side, frame).encode()
    if _name(slug, position.value, side, frame, data) != name:
        return None  # a file of another version of the library
    return _store(name, data)


class ServeFigures:
    """Serves ``/figures/<name>`` with whitenoise (ETag, Last-Modified, gzip, ranges), marked
    immutable; it stands just after WhiteNoiseMiddleware, before anything that adds page
    headers (a Content-Security-Policy or no-store has no business on a picture)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.files = WhiteNoise(
            None, allow_all_origins=False, immutable_file_test=lambda path, url: True
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        url = request.path_info
        if not url.startswith(URL_PREFIX):
            return self.get_response(request)
        static_file = self.files.files.get(url)
        if static_file is None:
            path = file_for(url.removeprefix(URL_PREFIX))
            if path is None:
                return self.get_response(request)  # the site's own 404
            self.files.add_file_to_dictionary(url, str(path))
            static_file = self.files.files[url]
        response: HttpResponse = WhiteNoiseMiddleware.serve(static_file, request)
        return response
