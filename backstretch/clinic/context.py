"""Template context: whether to show the "Clinic" link (clinicians and clinic admins only)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from .models import Membership


def clinic_nav(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    user = getattr(request, "user", None)

    def works_at_a_clinic() -> bool:
        # Asked only when a template uses it, so pages without the nav pay nothing.
        if user is None or not user.is_authenticated:
            return False
        return Membership.objects.filter(user_id=user.pk).exists()

    return {"works_at_a_clinic": works_at_a_clinic}
