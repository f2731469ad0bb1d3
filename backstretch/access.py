"""The only answers to "may this user see or change this thing?".

Every view and API endpoint asks here first. Functions either return a boolean
(``may_*``) or return the object / raise Http404 (``get_*_for``), so that a guessed
id of someone else's record looks exactly like a missing one.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from backstretch.accounts.models import User
from backstretch.routines.models import RoutineVersion

AnyUser = User | AnonymousUser


def may_browse_library(user: AnyUser) -> bool:
    """The exercise library is public: anyone may read it, logged in or not."""
    return True


def may_curate_library(user: AnyUser) -> bool:
    """Only staff change the shipped library (through Django admin and data files)."""
    return bool(user.is_authenticated and user.is_staff)


def get_routine_version_for_patient(user: AnyUser, version_id: int) -> RoutineVersion:
    """A version of one of the user's own routines, else 404 (never reveal others' ids)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return RoutineVersion.objects.select_related("routine").get(
            pk=version_id, routine__patient=user
        )
    except RoutineVersion.DoesNotExist:
        raise Http404("No such routine version.") from None


def is_patient(user: AnyUser) -> bool:
    return bool(user.is_authenticated and hasattr(user, "patient"))
