"""Signing in by a link mailed to a patient's address, instead of typing a password.

A link is signed (``django.core.signing``, with a timestamp) over the user's id and a
fingerprint of their last log-in, password and address: it works for ``LINK_MINUTES`` and
only once, because signing in (by this link or any other way) changes the last log-in time.
Nothing is stored until it is used. Clinic staff get no link (the second step of their
sign-in must not be skipped); the page asking for one answers the same whoever asks.
"""

from __future__ import annotations

from enum import StrEnum

from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from backstretch import access
from backstretch.links import absolute_url

from .models import User
from .verification import send_plain

SALT = "backstretch.accounts.email-link"
LINK_MINUTES = 15


class Link(StrEnum):
    GOOD = "good"
    USED = "used"  # signed by us, but the account signed in since (or changed its password)
    EXPIRED = "expired"
    BAD = "bad"  # not ours, mangled, or for an account that may not use links


def may_use_links(user: User) -> bool:
    """Patients and people not set up yet: anyone who is not clinic staff."""
    return user.is_active and not user.is_staff and not access.works_at_a_clinic(user)


def _state(user: User) -> str:
    last = user.last_login.isoformat() if user.last_login else ""
    return salted_hmac(SALT, f"{user.pk}|{last}|{user.password}|{user.email}").hexdigest()[:24]


def link_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=SALT)


def read_link(token: str) -> tuple[Link, User | None]:
    """What the link is worth, and whose it is when it is good."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MINUTES * 60)
    except signing.SignatureExpired:
        return Link.EXPIRED, None
    except signing.BadSignature:
        return Link.BAD, None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return Link.BAD, None
    user = User.objects.filter(pk=data["u"]).first()
    if user is None or not may_use_links(user):
        return Link.BAD, None
    if data.get("s") != _state(user):
        return Link.USED, None
    return Link.GOOD, user


def send_link(email: str) -> bool:
    """Mail a sign-in link to the account with this address, if there is one that may use
    links; False when nothing was sent (the caller says the same either way)."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not may_use_links(user):
        return False
    url = absolute_url(reverse("accounts:email_link_use", args=[link_token(user)]))
    return send_plain(
        user,
        _("Your sign-in link for Backstretch"),
        "accounts/email/sign_in_link.txt",
        {"link_url": url, "minutes": LINK_MINUTES},
    )
