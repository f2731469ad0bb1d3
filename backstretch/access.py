"""The only answers to "may this user see or change this thing?".

Every view and API endpoint asks here first. Functions either return a boolean
(``may_*``) or return the object / raise Http404 (``get_*_for``), so that a guessed
id of someone else's record looks exactly like a missing one.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from backstretch.accounts.models import User

AnyUser = User | AnonymousUser


def may_browse_library(user: AnyUser) -> bool:
    """The exercise library is public: anyone may read it, logged in or not."""
    return True


def may_curate_library(user: AnyUser) -> bool:
    """Only staff change the shipped library (through Django admin and data files)."""
    return bool(user.is_authenticated and user.is_staff)
