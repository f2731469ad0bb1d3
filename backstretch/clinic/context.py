"""Template context: which menu links a user sees (patient pages, the clinic portal)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from backstretch import access


def clinic_nav(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    user = getattr(request, "user", None)

    # Asked only when a template uses them, so pages without the nav pay nothing.
    @cache
    def works_at_a_clinic() -> bool:
        return user is not None and access.works_at_a_clinic(user)

    @cache
    def shows_patient_pages() -> bool:
        # Clinic staff who are not patients themselves have no routine, history or reminders.
        if user is None or not user.is_authenticated:
            return False
        return access.is_patient(user) or not works_at_a_clinic()

    return {"works_at_a_clinic": works_at_a_clinic, "shows_patient_pages": shows_patient_pages}
