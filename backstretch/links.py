"""Absolute links, the one way: for e-mails, calendar feeds, invitations and their QR codes.

The site's public address is ``BACKSTRETCH_BASE_URL`` when it is set. Otherwise it is the
address ``backstretch serve`` listens on: serve puts that address into the environment of its
worker processes, so their links name the port they really answer on. A server listening on
every address (``0.0.0.0``) has no one address to name: its links follow the address each
request came to, and links made outside a request (``send-reminders``) fall back to this
machine's ``HOST``/``PORT``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"}


def served_base_url(host: str, port: int) -> str | None:
    """The address a server listening on ``host:port`` is reached at, or None for a wildcard."""
    if host in WILDCARD_HOSTS:
        return None
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def base_url(request: HttpRequest | None = None) -> str:
    configured = settings.BACKSTRETCH_BASE_URL.strip().rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000") or "8000")
    return served_base_url(host, port) or f"http://127.0.0.1:{port}"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from ``reverse``) as a full URL people can open from outside the page."""
    return base_url(request) + path


def mismatch_warning(configured: str, host: str, port: int) -> str | None:
    """Why a configured base URL that points at this machine misses the port served on.

    A public address (a proxy in front, a domain name) may use any port: only a local one
    that names another port is certainly wrong.
    """
    parts = urlsplit(configured)
    try:
        configured_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"BACKSTRETCH_BASE_URL {configured!r} has a port that is not a number: fix it."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"BACKSTRETCH_BASE_URL {configured!r} is not an address such as "
            "https://stretch.example.org: links in e-mails and calendars will not open."
        )
    local = parts.hostname in LOCAL_HOSTS or parts.hostname == host
    if local and configured_port != port:
        return (
            f"BACKSTRETCH_BASE_URL is {configured} but this server listens on port {port}: "
            f"links in e-mails, calendars and invitations will point at port {configured_port}. "
            f"Set BACKSTRETCH_BASE_URL to the address people use, or leave it empty."
        )
    return None


def qr_svg(text: str, title: str) -> SafeString:
    """A QR code of ``text`` as inline SVG, black on white with its quiet zone, sized by the
    page's stylesheet (class ``qr``; attributes only, no inline style)."""
    import segno  # only the pages that show a code need it

    svg = segno.make(text, error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", svgclass="qr", omitsize=True, title=title
    )
    return mark_safe(svg)  # segno escapes the title; the rest is its own path data
