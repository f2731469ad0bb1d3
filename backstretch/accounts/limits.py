"""Limits on what anyone may ask for without logging in: sign-ups, password-reset links and
sign-in links, counted per client address and per e-mail address in Django's cache.

By default at most 20 requests of a kind an hour from one client address
(``BACKSTRETCH_ANONYMOUS_PER_IP_HOUR``) and 5 for one e-mail address
(``BACKSTRETCH_ANONYMOUS_PER_ADDRESS_HOUR``): enough for a person who mistyped a few times,
too few to fill someone's inbox or to try addresses in bulk. The windows are fixed clock hours,
as for the per-account write limit (``core/ratelimit.py``); with the default cache each server
process counts on its own, and ``BACKSTRETCH_CACHE_URL`` makes them share one count.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .throttle import client_ip

HOUR = 60 * 60


def clock() -> float:
    return time.time()


def _count(key: str, limit: int, seconds: int, moment: float) -> int | None:
    """Count one request under ``key``; None within the limit, else seconds to wait."""
    window = int(moment // seconds)
    full_key = f"anon:{seconds}:{window}:{key}"
    cache.add(full_key, 0, seconds + 60)
    try:
        count = cache.incr(full_key)
    except ValueError:  # evicted between add and incr: start again at one
        cache.set(full_key, 1, seconds + 60)
        count = 1
    if count > limit:
        return (window + 1) * seconds - int(moment)
    return None


def refuse_wait(request: HttpRequest, kind: str, email: str = "") -> int | None:
    """Count one ``kind`` request (``signup``, ``reset``, ``link``) from this client and for
    ``email``; None when both are within their limits, else the seconds until they are not."""
    moment = clock()
    waits = [
        _count(
            f"{kind}:ip:{client_ip(request)}",
            settings.BACKSTRETCH_ANONYMOUS_PER_IP_HOUR,
            HOUR,
            moment,
        )
    ]
    address = email.strip().lower()
    if address:
        # The address is hashed so the cache holds no list of the addresses people typed.
        digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        waits.append(
            _count(
                f"{kind}:address:{digest}",
                settings.BACKSTRETCH_ANONYMOUS_PER_ADDRESS_HOUR,
                HOUR,
                moment,
            )
        )
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The 429 page: nothing was sent, and how many minutes until asking again works."""
    minutes = max(1, -(-wait // 60))
    response = render(request, "accounts/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response
