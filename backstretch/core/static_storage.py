"""Static files as whitenoise stores them, with each file's URL worked out once per process.

Every page names about ten static files (``{% static %}``), and each name went through the
manifest and a URL join on every request (issue 17: a few per cent of a page's time). The
manifest is read once when the process starts and does not change under it, so neither do
the URLs.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
