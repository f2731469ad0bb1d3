"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from .models import ApiToken, PatientProfile, User

# Every API call with a Bearer token runs these two: building the same queries with the ORM
# cost several times more than running them (bench/api_load.py).
USER_OF_TOKEN_SQL = (
    "SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s)"
    f" AS token_stale, t.expires_at AS token_expires FROM {User._meta.db_table} u"
    f" JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id"
    " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
)
PROFILE_SQL = f"SELECT * FROM {PatientProfile._meta.db_table} WHERE user_id = %s"
# Every write with a Bearer token asks whose it is before the API checks the token (the limit
# on writes, core/middleware.py).
TOKEN_OWNER_SQL = (
    f"SELECT user_id FROM {ApiToken._meta.db_table}"
    " WHERE digest = %s AND revoked_at IS NULL LIMIT 1"
)


def user_of_token(digest: str, stale_before: datetime) -> tuple[User, int, bool, datetime] | None:
    """(the active user owning the unrevoked token with this digest, the token's id, whether
    the token was last used before ``stale_before``, when it expires), else None."""
    stale = connection.ops.adapt_datetimefield_value(stale_before)
    found = list(User.objects.raw(USER_OF_TOKEN_SQL, [stale, digest]))
    if not found:
        return None
    user = found[0]
    extra = vars(user)  # the query's three columns beside the user's own
    stale, token_id = extra.pop("token_stale"), extra.pop("token_id")
    expires_at = _as_datetime(extra.pop("token_expires"))
    return user, token_id, bool(stale), expires_at


def owner_of_token(digest: str) -> int | None:
    """The user id of the unrevoked token with this digest, else None."""
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_OWNER_SQL, [digest])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def profile_of(user_id: int) -> PatientProfile | None:
    found = list(PatientProfile.objects.raw(PROFILE_SQL, [user_id]))
    return found[0] if found else None


def _as_datetime(value: object) -> datetime:
    """A raw query's extra timestamp column: PostgreSQL hands back a datetime, SQLite the text
    Django stored (UTC, without an offset)."""
    found = value if isinstance(value, datetime) else parse_datetime(str(value))
    if found is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return found if found.tzinfo else found.replace(tzinfo=UTC)
