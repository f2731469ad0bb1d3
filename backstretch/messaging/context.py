"""Template context: the patient's unread messages, for the menu."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from backstretch import access

from .services import clinic_id_of, unread_for_patient


def message_nav(request: HttpRequest) -> dict[str, Callable[[], object]]:
    user = getattr(request, "user", None)

    # Asked only when a template uses them.
    @cache
    def has_message_thread() -> bool:
        if user is None or not access.may_use_own_messages(user):
            return False
        return clinic_id_of(user) is not None

    @cache
    def unread_messages() -> int:
        return unread_for_patient(user) if has_message_thread() else 0  # type: ignore[arg-type]

    return {"has_message_thread": has_message_thread, "unread_messages": unread_messages}
