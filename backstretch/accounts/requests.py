"""Who is asking: the user behind a request, typed as our ``User``.

Only for views behind a login check (``@login_required``, ``@practice_allowed``) and API
operations behind the API's authentication: there the user is always one of ours, so a
failure here is a bug in the wiring, not a visitor to turn away.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


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
