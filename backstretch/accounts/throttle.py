"""Too many failed log-ins: how django-axes names the person and the client, what a locked-out
person is told, and the same counting for API tokens.

Failures are counted per (e-mail address, client address) pair: ``AXES_FAILURE_LIMIT`` of them
within ``AXES_COOLOFF_TIME`` lock that pair out until the cool-off has passed since the last
try. A successful log-in or a password reset clears the count. Wrong API tokens name no
person: they count under one name, ``API_TOKEN``, per client address.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

API_PREFIX = "/api/"
# The name failed API tokens are counted under: never an e-mail address (it has no "@").
API_TOKEN = "api-token"


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail address tried, as the log-in form reads it (any capitals, spaces around)."""
    if credentials and credentials.get("username"):
        raw = credentials["username"]
    else:
        raw = request.POST.get("username", "") if request.method == "POST" else ""
    return str(raw).strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with ``BACKSTRETCH_TRUSTED_PROXIES`` proxies in
    front, the address the outermost of them saw (counted from the right of X-Forwarded-For,
    so a client cannot choose it by sending the header itself)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = settings.BACKSTRETCH_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes answers a locked-out pair: JSON under /api/, a page elsewhere (429)."""
    minutes = cool_off_minutes()
    answer: HttpResponse
    if request.path.startswith(API_PREFIX):
        answer = JsonResponse(
            {
                "detail": ngettext(
                    "Too many failed log-ins from this address. Wait %(minutes)d minute, "
                    "then try again with a valid token.",
                    "Too many failed log-ins from this address. Wait %(minutes)d minutes, "
                    "then try again with a valid token.",
                    minutes,
                )
                % {"minutes": minutes}
            },
            status=429,
        )
    else:
        answer = render(
            request,
            "registration/locked_out.html",
            {"minutes": minutes, "reset_url": reverse("password_reset")},
            status=429,
        )
    answer["Retry-After"] = str(minutes * 60)
    return answer


class TokenLockedOut(Exception):
    """Too many wrong API tokens from this client address."""


def token_allowed(request: HttpRequest) -> bool:
    """False while this client address is locked out for wrong API tokens."""
    return AxesProxyHandler.is_allowed(request, {"username": API_TOKEN})


def token_failed(request: HttpRequest) -> None:
    """Count a wrong, revoked or expired API token against this client address."""
    user_login_failed.send(sender=__name__, credentials={"username": API_TOKEN}, request=request)


def forget_failures(email: str) -> int:
    """Clear the failed log-ins of ``email`` (after a password reset), from every address."""
    return reset(username=email.strip().lower())


def code_allowed(request: HttpRequest, email: str) -> bool:
    """False while wrong two-step codes (or passwords) have locked this address out here."""
    return AxesProxyHandler.is_allowed(request, {"username": email.strip().lower()})


def code_failed(request: HttpRequest, email: str) -> None:
    """Count a wrong two-step code like a wrong password: the same lock-out, the same page."""
    user_login_failed.send(
        sender=__name__, credentials={"username": email.strip().lower()}, request=request
    )
