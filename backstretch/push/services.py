"""Subscribing a browser to notifications, and sending one to every browser of a person.

A notification never carries health details: only a short line such as "You have a new
message" and the page to open. Push services hold what we send until the phone is reachable.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backstretch.accounts.models import User

from . import vapid
from .models import PushSubscription

log = logging.getLogger(__name__)

# Seconds a push service may keep a notification for a phone that is off (a day: an old
# reminder is no use) and how long we wait for it to answer.
TIME_TO_LIVE = 24 * 60 * 60
TIMEOUT = 10


def endpoint_problem(endpoint: str) -> str | None:
    """What is wrong with a push endpoint a browser sent, or None."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if parts.scheme == "https" and host and not _is_local(host):
        return None
    loopback_allowed = settings.BACKSTRETCH_PUSH_ALLOW_LOOPBACK and parts.scheme in (
        "http",
        "https",
    )
    if loopback_allowed and host and _is_local(host):
        return None
    return "must be the https address of a browser's push service"


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])  # an IPv6 scope: "fe80::1%eth0"
    except ValueError:
        return False
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_reserved
    )


def points_inside(endpoint: str) -> bool:
    """Does the endpoint's host name lead to a loopback, private or link-local address? Asked
    when sending, not only when subscribing: a name that led to a push service then may lead
    into the server's own network now, and a notification must never be sent there."""
    if settings.BACKSTRETCH_PUSH_ALLOW_LOOPBACK:
        return False
    host = urlsplit(endpoint).hostname or ""
    try:
        found = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return False  # not found: the send fails by itself and is logged
    return any(_is_local(str(info[4][0])) for info in found)


def subscribe(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep this browser's subscription for ``user`` (a browser re-subscribing replaces its
    keys; a browser someone else used before now notifies only ``user``)."""
    found, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return found


def unsubscribe(user: User, endpoint: str) -> int:
    removed, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return removed


def is_subscribed(user: User) -> bool:
    return PushSubscription.objects.filter(user=user).exists()


@dataclass(frozen=True)
class Notification:
    title: str
    body: str
    url: str  # the page to open, a path on this site
    tag: str  # a newer notification with the same tag replaces the older one

    def payload(self) -> str:
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}
        )


def notify(user: User, notification: Notification) -> int:
    """Send to every browser ``user`` subscribed; the number that took it. A subscription
    the push service says is gone (404, 410) is forgotten."""
    # Imported here: pywebpush brings aiohttp and requests (~15 MB in every server process),
    # and only a reply or a reminder sending needs it.
    from pywebpush import WebPushException, webpush

    delivered = 0
    for subscription in list(PushSubscription.objects.filter(user=user)):
        if points_inside(subscription.endpoint):
            log.warning("push to %s not sent: its address leads into a private network", user.email)
            continue
        try:
            webpush(
                subscription_info=subscription.info(),
                data=notification.payload(),
                vapid_private_key=vapid.private_key_der(),
                vapid_claims={"sub": settings.BACKSTRETCH_PUSH_CONTACT},
                ttl=TIME_TO_LIVE,
                timeout=TIMEOUT,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):
                subscription.delete()
            else:
                log.warning("push to %s failed: %s", user.email, error)
            continue
        except Exception as error:  # the push service could not be reached
            log.warning("push to %s failed: %s", user.email, error)
            continue
        delivered += 1
        PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return delivered


def notify_after_commit(user: User, notification: Notification) -> None:
    """Send once the current transaction has committed (a rolled-back change sends nothing)."""
    transaction.on_commit(lambda: notify(user, notification))
