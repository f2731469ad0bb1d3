"""The practice gate on pages: only patients cleared to practise get through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from backstretch import access

View = Callable[..., HttpResponse]

# The page that lifts each gate (access.practice_gate says which one stands in the way).
PAGE_THAT_LIFTS = {
    access.Gate.NOT_ONBOARDED: "accounts:onboarding",
    access.Gate.NEEDS_SCREEN: "safety:screen",
    access.Gate.NEEDS_CLEARANCE: "safety:outcome",
}


def practice_allowed(view: View) -> View:
    """Only patients cleared to practise get through; others go to the step that is missing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        gate = access.practice_gate(request.user)
        if gate is access.Gate.NOT_LOGGED_IN:
            return redirect_to_login(request.get_full_path())
        if gate is access.Gate.NOT_ONBOARDED and access.works_at_a_clinic(request.user):
            return redirect("clinic:dashboard")  # clinic staff never meet patient onboarding
        if gate is not None:
            return redirect(PAGE_THAT_LIFTS[gate])
        return view(request, *args, **kwargs)

    return wrapper
