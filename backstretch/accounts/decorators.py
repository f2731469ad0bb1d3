from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from backstretch import access

View = Callable[..., HttpResponse]


def practice_allowed(view: View) -> View:
    """Only patients cleared to practise get through; others go to the step that is missing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        missing = access.practice_gate(request.user)
        if missing == "login":
            return redirect_to_login(request.get_full_path())
        if missing is not None:
            return redirect(missing)
        return view(request, *args, **kwargs)

    return wrapper
