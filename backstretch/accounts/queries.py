"""SQL tuned for hot paths, each with the reason it is not the ORM."""

from __future__ import annotations

from django.db import connection

from backstretch import rows

from .models import ApiToken, PatientProfile, User

# Every API call with a Bearer token runs this: one round trip for the token, its user and the
# user's patient profile (NULLs for someone who is not a patient), made into model instances
# without the ORM's per-query set-up (backstretch/rows.py; bench/api_load.py).
USER_OF_TOKEN_SQL = (
    f"SELECT {rows.columns(User, 'u')}, {rows.columns(ApiToken, 't')},"
    f" {rows.columns(PatientProfile, 'p')} FROM {User._meta.db_table} u"
    f" JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id"
    f" LEFT JOIN {PatientProfile._meta.db_table} p ON p.user_id = u.id"
    " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
)
PROFILE_SQL = (
    f"SELECT {rows.columns(PatientProfile, 'p')} FROM {PatientProfile._meta.db_table} p"
    " WHERE p.user_id = %s"
)


def user_of_token(digest: str) -> tuple[User, ApiToken, PatientProfile | None] | None:
    """(the active user owning the unrevoked token with this digest, the token, the user's
    patient profile or None), else None."""
    with connection.cursor() as cursor:
        cursor.execute(USER_OF_TOKEN_SQL, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    user = rows.instance(User, row)
    token = rows.instance(ApiToken, row, rows.width(User))
    profile = rows.optional(PatientProfile, row, rows.width(User) + rows.width(ApiToken))
    return user, token, profile


def profile_of(user_id: int) -> PatientProfile | None:
    with connection.cursor() as cursor:
        cursor.execute(PROFILE_SQL, [user_id])
        row = cursor.fetchone()
    return None if row is None else rows.instance(PatientProfile, row)
