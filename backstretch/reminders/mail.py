"""The reminder e-mail and its no-login unsubscribe link."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.links import absolute_url

from .content import RoutineSummary, routine_summary
from .models import ReminderSettings
from .schedule import Kind

UNSUBSCRIBE_SALT = "backstretch.reminders.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).first()


def unsubscribe_url(user: User) -> str:
    return absolute_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user)]))


def build_message(
    reminders: ReminderSettings, kind: Kind, routine: RoutineSummary | None = None
) -> EmailMultiAlternatives:
    """``routine``: the summary, when the caller has it (else read here)."""
    user = reminders.patient
    routine = routine or routine_summary(user)
    context = {
        "name": user.get_short_name() if user.name else "",
        "kind": str(kind),
        "routine": routine,
        "today_url": absolute_url(reverse("practice:today")),
        "settings_url": absolute_url(reverse("reminders:settings")),
        "unsubscribe_url": unsubscribe_url(user),
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):  # the patient's own
        if kind == Kind.NUDGE:
            subject = _("A gentle nudge: your stretches are waiting")
        else:
            subject = _("Time for your stretches")
        text = render_to_string("reminders/email.txt", context)
        html = render_to_string("reminders/email.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_reminder(
    reminders: ReminderSettings,
    kind: Kind,
    connection: BaseEmailBackend | None = None,
    routine: RoutineSummary | None = None,
) -> None:
    message = build_message(reminders, kind, routine)
    message.connection = connection
    message.send(fail_silently=False)


class Mailer:
    """One connection to the mail server for a run's many messages (opened when first
    needed; after a failed message, ``reset`` starts a new one for the next)."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def connection(self) -> BaseEmailBackend:
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
            self._connection.open()
        return self._connection

    def reset(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close too
                self._connection.close()
            self._connection = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reset()
