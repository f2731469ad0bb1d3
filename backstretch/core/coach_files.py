"""Serves the camera coach's files (``make install`` builds them into ``build/coach/``:
the pose model and MediaPipe's browser runtime, about 28 MB) at ``/coach/``, straight from
where they were built: collectstatic would copy and compress them into every data directory
again (it took 20 s), for files that only change with the pinned package versions. The build
writes their gzip copies beside them; whitenoise serves those to browsers that accept gzip,
with ETag, Last-Modified and ranges. Nothing here when the files were not built (mediapipe
has no wheel for the machine): /coach/ is then the site's own 404."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from whitenoise.base import WhiteNoise  # type: ignore[import-untyped]  # no type hints shipped
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

URL_PREFIX = settings.COACH_URL
MAX_AGE = 24 * 60 * 60  # the names carry no version: browsers keep them a day


class ServeCoachFiles:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.files = WhiteNoise(None, allow_all_origins=False, max_age=MAX_AGE)
        if settings.COACH_FILES.is_dir():
            self.files.add_files(str(settings.COACH_FILES), prefix=URL_PREFIX)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        url = request.path_info
        if url.startswith(URL_PREFIX) and url in self.files.files:
            response: HttpResponse = WhiteNoiseMiddleware.serve(self.files.files[url], request)
            return response
        return self.get_response(request)
