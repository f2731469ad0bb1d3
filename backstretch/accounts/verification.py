"""Confirming an e-mail address: the link we mail at sign-up (and again on request), and the
note to an address's owner when someone signs up with it.

A link is signed (``django.core.signing``) over the user's id and address: it stops working
when the address changes, and after ``LINK_DAYS``. Nothing is stored until it is opened.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backstretch.links import absolute_url

from .models import User

log = logging.getLogger(__name__)

SALT = "backstretch.accounts.verify"
LINK_DAYS = 7


def verify_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT)


def user_for_verify_token(token: str) -> User | None:
    """The active user the link was made for, if the link is ours, recent and their address
    is still the one it was sent to."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # forged, mangled or too old (SignatureExpired)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], email=data.get("e"), is_active=True).first()


def send_plain(user: User, subject: str, template: str, context: dict[str, object]) -> bool:
    """Send one plain-text message; False (logged) when the mail server says no, so that the
    page the person is on still works and nothing already saved is lost."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"email": user.email, **context})
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    except Exception as error:  # the SMTP server refused or could not be reached
        log.warning("mail to %s failed (%s): %s", user.email, template, error)
        return False
    return True


def send_verification(user: User) -> bool:
    url = absolute_url(reverse("accounts:verify", args=[verify_token(user)]))
    return send_plain(
        user,
        _("Confirm your e-mail address for Backstretch"),
        "accounts/email/verify.txt",
        {"verify_url": url, "days": LINK_DAYS},
    )


def send_signup_attempt_note(user: User) -> bool:
    """Someone used this taken address to sign up: tell its owner, who may have forgotten."""
    return send_plain(
        user,
        _("Someone tried to sign up to Backstretch with your address"),
        "accounts/email/signup_taken.txt",
        {
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )
