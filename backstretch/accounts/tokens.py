"""Personal API tokens: make one (the secret is returned once), check one, revoke one.

A token looks like ``bks_<43 url-safe characters>`` (256 random bits). Only its SHA-256 hash
is stored, so a leaked database does not leak working tokens; a hash is enough (no slow
password hash) because the secret is random, not chosen by a person.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from .models import ApiToken, PatientProfile, User

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


# Raw SQL because this runs on every API call: building the same query with the ORM cost
# several times more than running it (bench/api_load.py).
USER_SQL = (
    "SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s)"
    f" AS token_stale FROM {User._meta.db_table} u"
    f" JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id"
    " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
)
PROFILE_SQL = f"SELECT * FROM {PatientProfile._meta.db_table} WHERE user_id = %s"


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token (with their patient profile), else None."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_EVERY)
    found = list(User.objects.raw(USER_SQL, [stale_before, digest_of(secret)]))
    if not found:
        return None
    user = found[0]
    extra = vars(user)  # the query's two columns beside the user's own
    stale, token_id = extra.pop("token_stale"), extra.pop("token_id")
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    profile = list(PatientProfile.objects.raw(PROFILE_SQL, [user.pk]))
    if profile:
        user.patient = profile[0]
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
