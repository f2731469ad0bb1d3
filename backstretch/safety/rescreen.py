"""Asking the red-flag questions again after sharp pain or a big jump in pain.

A request stays open until the person answers the questions; while it is open, or while its
answers still need a clinician, no new session starts (``practice.decorators``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.library.models import exercise_names

from .models import RedFlagScreen, RescreenRequest
from .stop_rules import needs_rescreen

if TYPE_CHECKING:
    from backstretch.practice.models import HurtReport, PracticeSession


def ask_again_if_needed(session: PracticeSession, hurts: Sequence[HurtReport]) -> None:
    """After sharp pain or a jump of 3+, the red-flag questions before the next session.

    Called inside the transaction that stores the session (stored means asked), with the
    session's "this hurts" reports as stored beside it (no query while writing).
    """
    severities = [h.severity for h in hurts]
    if needs_rescreen(session.pain_before, session.pain_after, severities):
        names = exercise_names([item["exercise"] for item in session.routine_version.items])
        reason = rescreen_reason(session, hurts, names, session.started_at)
        ask_again(session.patient, reason, session)


def rescreen_reason(
    session: PracticeSession,
    hurts: Sequence[HurtReport],
    names: dict[str, str],
    day: datetime,
) -> str:
    sharp = [h for h in hurts if h.severity == "sharp"]
    when = formats.date_format(day, "j M")
    if sharp:
        return _("Sharp pain during %(name)s on %(day)s") % {
            "name": names.get(sharp[0].exercise, sharp[0].exercise),
            "day": when,
        }
    return _("Pain went from %(before)s to %(after)s during the session on %(day)s") % {
        "before": session.pain_before,
        "after": session.pain_after,
        "day": when,
    }


def ask_again(user: User, reason: str, session: PracticeSession | None = None) -> RescreenRequest:
    """Open a request (or return the one already open: one set of questions is enough)."""
    found = open_request(user)
    if found is not None:
        return found
    return RescreenRequest.objects.create(user=user, reason=reason[:300], session=session)


def open_request(user: User) -> RescreenRequest | None:
    return RescreenRequest.objects.filter(user=user, screen__isnull=True).first()


def latest_request(user: User) -> RescreenRequest | None:
    return RescreenRequest.objects.filter(user=user).select_related("screen").first()


def answer(user: User, screen: RedFlagScreen) -> RescreenRequest | None:
    """Link the open request, if any, to the screen that answers it."""
    found = open_request(user)
    if found is not None:
        found.screen = screen
        found.save(update_fields=["screen"])
    return found
