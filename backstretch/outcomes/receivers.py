"""How outcomes follows the apps below it: a stored session, a new routine version."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from backstretch.practice.models import PracticeSession
from backstretch.practice.signals import session_recorded
from backstretch.routines.models import RoutineVersion
from backstretch.routines.signals import version_saved

from .models import ProgressionProposal
from .progression_services import after_session


@receiver(session_recorded, sender=PracticeSession, dispatch_uid="outcomes.progression")
def run_progression(sender: type[PracticeSession], session: PracticeSession, **_: Any) -> None:
    after_session(session)


@receiver(version_saved, sender=RoutineVersion, dispatch_uid="outcomes.supersede")
def supersede_waiting_proposals(
    sender: type[RoutineVersion], version: RoutineVersion, **_: Any
) -> None:
    """A proposal was worked out for the version this one replaces: it no longer applies."""
    ProgressionProposal.objects.filter(
        routine_id=version.routine_id, status=ProgressionProposal.Status.PENDING
    ).update(status=ProgressionProposal.Status.SUPERSEDED)
