"""The reminder e-mail and its no-login unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backstretch.accounts.models import User
from backstretch.links import absolute_url

from .content import routine_summary
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


def build_message(reminders: ReminderSettings, kind: Kind) -> EmailMultiAlternatives:
    user = reminders.patient
    routine = routine_summary(user)
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


def send_reminder(reminders: ReminderSettings, kind: Kind) -> None:
    build_message(reminders, kind).send(fail_silently=False)
