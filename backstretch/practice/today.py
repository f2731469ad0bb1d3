"""The Today page's body, rendered once and kept in Django's cache, keyed by every fact it
is made of (issue 17: the page was 15 ms of server CPU, most of it template work that gave
the same HTML request after request).

Each request asks one query for the facts that change the page (practice/queries.py), plus
one per app above practice that shows a piece on Today (``add_fact_source``: the outcomes
app's check-ins and routine-change notice), and then only builds the body when that set of
facts is new. The key holds the patient's id and language and the date, so one patient never
gets another's page, and it holds the newest session, so Today changes the moment a session
is stored, in every server process (each keeps its own cache unless BACKSTRETCH_CACHE_URL
shares one). The forms in the body carry the request's own CSRF token: the body is kept with
a placeholder in its place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from backstretch.accounts.models import User

from .queries import TodayRow
from .tips import Moment

JUST_FINISHED = timedelta(hours=1)  # a session ended this recently gets an after-session tip
# Raise BODY_FORMAT when the body's HTML or what goes into its key changes, for shared caches.
BODY_FORMAT = 2
BODY_SECONDS = 24 * 60 * 60
# Stands for the request's CSRF token in a kept body (letters only: escaping leaves it be).
CSRF_PLACEHOLDER = "csrfTOKENplaceholderTODAY"

FactSource = Callable[[User, date], Hashable]
_fact_sources: list[FactSource] = []


def add_fact_source(source: FactSource) -> None:
    """An app above practice whose piece shows on Today says what that piece is made of:
    ``source(patient, day)`` returns a value that changes whenever the piece would."""
    if source not in _fact_sources:
        _fact_sources.append(source)


def tip_moment(day: date, row: TodayRow, now: datetime) -> Moment:
    if row.done_today:
        if row.last_ended_at is not None and now - row.last_ended_at <= JUST_FINISHED:
            return Moment.AFTER_SESSION
        return Moment.TODAY
    planned = (day - timedelta(days=1)).weekday() in row.days
    if planned and not row.yesterday_practised and row.practised_before_yesterday:
        return Moment.MISSED_DAY
    return Moment.TODAY


def body_key(user: User, day: date, facts: tuple[Hashable, ...]) -> str:
    outside = tuple(source(user, day) for source in _fact_sources)
    made_of = repr((facts, outside)).encode()
    digest = hashlib.blake2b(made_of, digest_size=16).hexdigest()
    return f"today:body:{BODY_FORMAT}:{user.pk}:{get_language() or ''}:{day.isoformat()}:{digest}"


def request_token(request: HttpRequest) -> str:
    """The request's CSRF token, masked once for all the kept pieces of its page (as one
    template render masks it once)."""
    token: str | None = getattr(request, "_kept_csrf_token", None)
    if token is None:
        token = get_token(request) or ""
        request._kept_csrf_token = token  # type: ignore[attr-defined]
    return token


def kept_html(
    request: HttpRequest,
    key: str,
    template: str,
    build: Callable[[], dict[str, Any]],
    seconds: int = BODY_SECONDS,
    store: BaseCache = cache,
) -> SafeString:
    """The HTML for ``key``, from the cache (``store``) or rendered (``build`` gives its
    context), with this request's CSRF token in its forms."""
    body: str | None = store.get(key)
    if body is None:
        context = build()
        context["csrf_token"] = CSRF_PLACEHOLDER
        body = render_to_string(template, context, request=request)
        store.set(key, body, seconds)
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, request_token(request))
    return mark_safe(body)
