"""Personal API tokens: make one (the secret is returned once), check one, revoke one.

A token stops working ``BACKSTRETCH_API_TOKEN_DAYS`` days (90) after it is made; an expired
one is refused with a message that says so.

A token looks like ``bks_<43 url-safe characters>`` (256 random bits). Only its SHA-256 hash
is stored, so a leaked database does not leak working tokens; a hash is enough (no slow
password hash) because the secret is random, not chosen by a person.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from . import queries
from .models import ApiToken, User

PREFIX = "bks_"
SHOWN_PREFIX = 10  # "bks_" and the first six random characters, shown in lists
# Writing last_used_at on every request would turn each read into a write; this often is enough.
LAST_USED_EVERY = timedelta(minutes=5)
MAX_TOKEN_LENGTH = 100


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=settings.BACKSTRETCH_API_TOKEN_DAYS)


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (the stored row, the secret to show once)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=secret[:SHOWN_PREFIX],
        digest=digest_of(secret),
        expires_at=timezone.now() + lifetime(),
    )
    return token, secret


@dataclass(frozen=True)
class Expired:
    """The token was right but its time is up."""

    on: datetime


def check_token(secret: str) -> User | Expired | None:
    """The active user owning this unrevoked, unexpired token (with their patient profile);
    ``Expired`` for a token past its date; None for anything else."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    found = queries.user_of_token(digest_of(secret))
    if found is None:
        return None
    user, token, profile = found
    now = timezone.now()
    if token.expires_at <= now:
        return Expired(token.expires_at)
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if profile is not None:
        profile._state.fields_cache["user"] = user
    user._state.fields_cache["patient"] = profile  # None: not a patient, no query to ask again
    return user


def check_token_once(request: HttpRequest, secret: str) -> User | Expired | None:
    """``check_token``, asked at most once per request: the limit on writes (before the view)
    and the API's authentication (in it) both need the token's owner."""
    known = getattr(request, "_checked_token", None)
    if known is not None and known[0] == secret:
        found: User | Expired | None = known[1]
        return found
    found = check_token(secret)
    request._checked_token = (secret, found)  # type: ignore[attr-defined]
    return found


def user_for_token(secret: str) -> User | None:
    """The user of a working token, else None."""
    found = check_token(secret)
    return found if isinstance(found, User) else None


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False if there is no such active token of theirs."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def tokens_of(user: User) -> list[ApiToken]:
    """The user's unrevoked tokens, expired ones included (shown as expired until revoked)."""
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
