"""Who is asking, and how: the user behind a request typed as our ``User``, and the request
type of views that answer htmx requests.

Only for views behind a login check (``@login_required``, ``@practice_allowed``) and API
operations behind the API's authentication: there the user is always one of ours, so a
failure here is a bug in the wiring, not a visitor to turn away.
"""

from __future__ import annotations

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
