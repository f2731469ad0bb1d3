"""How messaging follows the apps below it: a stored session brings its note and its
"this hurts" reports into the patient's thread."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from backstretch.practice.models import PracticeSession
from backstretch.practice.signals import session_recorded

from .services import entries_from_session


@receiver(session_recorded, sender=PracticeSession, dispatch_uid="messaging.session_entries")
def session_into_thread(sender: type[PracticeSession], session: PracticeSession, **_: Any) -> None:
    entries_from_session(session)
