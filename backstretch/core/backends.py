"""The one way in: django-axes's lock-out, Django's password check, and the signed-in person
loaded with what every page asks of them in one query.

Each request of a logged-in person loads their user afresh. Django's ``ModelBackend`` does it
through the ORM, and then every page asks two more questions, each a query of its own: their
patient profile (``access.patient_profile``) and whether they work at a clinic
(``access.works_at_a_clinic``, for the menu and the second step). On PostgreSQL those three
round trips and the ORM's set-up were a fifth of ``/today/`` (issue 17,
bench/api_instructions.py). Here they are one plain query (backstretch/rows.py), and the
answers are kept where ``access`` looks first.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import HttpRequest

from backstretch import rows
from backstretch.accounts.models import PatientProfile, User
from backstretch.clinic.models import Membership

SIGNED_IN_SQL = (
    f"SELECT {rows.columns(User, 'u')}, {rows.columns(PatientProfile, 'p')},"
    f" EXISTS (SELECT 1 FROM {Membership._meta.db_table} m WHERE m.user_id = u.id)"
    f" FROM {User._meta.db_table} u"
    f" LEFT JOIN {PatientProfile._meta.db_table} p ON p.user_id = u.id"
    " WHERE u.id = %s"
)


class SignedInBackend(AxesBackend):
    """First in ``AUTHENTICATION_BACKENDS``, so that logging in and the test client's
    ``force_login`` both name it in the session. Django's ``ModelBackend`` stays listed after
    it only so that sessions begun before it existed (which name that backend) still load."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        # django-axes: raises PermissionDenied for a locked-out pair, before any password is
        # checked (it never lets anyone in by itself).
        super().authenticate(request, username, password, **kwargs)
        user = ModelBackend.authenticate(self, request, username, password, **kwargs)
        if user is None and username is not None and password is not None:
            # The password was wrong (or the account inactive): stop here, so that the
            # ModelBackend listed after this one does not hash the same password again.
            # Django reports the failure (user_login_failed) as for any other.
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> User | None:
        using = router.db_for_read(User)
        with connections[using].cursor() as cursor:
            cursor.execute(SIGNED_IN_SQL, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = rows.instance(User, row, using=using)
        if not self.user_can_authenticate(user):
            return None
        profile = rows.optional(PatientProfile, row, rows.width(User), using)
        if profile is not None:
            profile._state.fields_cache["user"] = user
        user._state.fields_cache["patient"] = profile  # None: not a patient, no query to ask again
        user.__dict__["_works_at_a_clinic"] = bool(row[-1])
        return user
