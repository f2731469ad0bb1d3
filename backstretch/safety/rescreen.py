"""Asking the red-flag questions again after sharp pain or a big jump in pain.

A request stays open until the person answers the questions; while it is open, or while its
answers still need a clinician, no new session starts (``accounts.decorators``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstretch.accounts.models import User

from . import queries
from .models import RedFlagScreen, RescreenRequest

if TYPE_CHECKING:
    from backstretch.practice.models import PracticeSession


def ask_again(user: User, reason: str, session: PracticeSession | None = None) -> RescreenRequest:
    """Open a request (or return the one already open: one set of questions is enough)."""
    found = open_request(user)
    if found is not None:
        return found
    return RescreenRequest.objects.create(user=user, reason=reason[:300], session=session)


def open_request(user: User) -> RescreenRequest | None:
    return RescreenRequest.objects.filter(user=user, screen__isnull=True).first()


def asked_ever(user: User) -> bool:
    """Has this person ever been asked the questions again? (One cheap query: see queries.)"""
    return queries.asked_ever(user.pk)


def latest_request(user: User) -> RescreenRequest | None:
    return RescreenRequest.objects.filter(user=user).select_related("screen").first()


def answer(user: User, screen: RedFlagScreen) -> RescreenRequest | None:
    """Link the open request, if any, to the screen that answers it."""
    found = open_request(user)
    if found is not None:
        found.screen = screen
        found.save(update_fields=["screen"])
    return found
