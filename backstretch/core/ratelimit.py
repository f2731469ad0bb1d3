"""A per-account limit on writes, counted in Django's cache.

Each account (by browser session or API token alike) may send at most so many writes (POST,
PUT, PATCH, DELETE): by default 60 in any clock minute and 1,000 in any day
(``BACKSTRETCH_WRITES_PER_MINUTE``, ``BACKSTRETCH_WRITES_PER_DAY``). The windows are fixed, so a
burst at a window's edge may reach twice a limit, which is enough to stop a flood. A real
patient sends a few a day; a phone that was offline for weeks sends its queued sessions at
once and, when refused, tries again later (the outbox treats 429 as "try later"). With the
default cache each server process counts on its own; ``BACKSTRETCH_CACHE_URL`` makes the
processes share one count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def write_limits() -> tuple[Limit, ...]:
    return tuple(Limit(count, seconds) for count, seconds in settings.BACKSTRETCH_WRITE_LIMITS)


def clock() -> float:
    return time.time()


def count_write(who: str, limits: tuple[Limit, ...], now: float | None = None) -> int | None:
    """Count one write by ``who``; None while every window is within its limit, else the
    seconds until the last full window ends (the Retry-After to answer with)."""
    moment = clock() if now is None else now
    wait = 0
    for limit in limits:
        window = int(moment // limit.seconds)
        key = f"writes:{limit.seconds}:{window}:{who}"
        cache.add(key, 0, limit.seconds + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: start again at one
            cache.set(key, 1, limit.seconds + 60)
            count = 1
        if count > limit.count:
            wait = max(wait, (window + 1) * limit.seconds - int(moment))
    return wait or None
