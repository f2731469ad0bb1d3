"""Personal API tokens: make one (the secret is returned once), check one, revoke one.

A token looks like ``bks_<43 url-safe characters>`` (256 random bits). Only its SHA-256 hash
is stored, so a leaked database does not leak working tokens; a hash is enough (no slow
password hash) because the secret is random, not chosen by a person.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

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


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (the stored row, the secret to show once)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:60], prefix=secret[:SHOWN_PREFIX], digest=digest_of(secret)
    )
    return token, secret


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token (with their patient profile), else None."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    now = timezone.now()
    found = queries.user_of_token(digest_of(secret), now - LAST_USED_EVERY)
    if found is None:
        return None
    user, token_id, stale = found
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    profile = queries.profile_of(user.pk)
    if profile is not None:
        user.patient = profile
    return user


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False if there is no such active token of theirs."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
