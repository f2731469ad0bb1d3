"""Who is asking, and how: the user behind a request typed as our ``User``, and the request
type of views that answer htmx requests.

Only for views behind a login check (``@login_required``, ``@practice_allowed``) and API
operations behind the API's authentication: there the user is always one of ours, so a
failure here is a bug in the wiring, not a visitor to turn away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (``request.htmx``)."""

    htmx: HtmxDetails


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a page a login check already let through."""
    user = request.user
    assert isinstance(user, User), "a login check runs before this view"
    return user


def api_user_of(request: HttpRequest) -> User:
    """The user the API authenticated (by token or session) for this operation."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "the API's authentication runs before this operation"
    return user


View = TypeVar("View", bound=Callable[..., Any])


def writes_only_when(changes: Callable[[HttpRequest], bool]) -> Callable[[View], View]:
    """For a view whose POSTs do not all change something (the builder redraws its draft on
    each keystroke in its filter): the limit on writes (``core/ratelimit.py``) counts only the
    requests for which ``changes`` is true. Put it under ``@login_required``, which keeps it."""

    def mark(view: View) -> View:
        view.writes_when = changes  # type: ignore[attr-defined]
        return view

    return mark
