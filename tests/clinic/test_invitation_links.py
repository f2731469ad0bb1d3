"""Invitation links and their QR codes name the site as patients reach it: https:// when the
public address is, or when the proxy in front says the request came over HTTPS."""

import io
import re

import pytest
import segno
from django.urls import reverse

from backstretch.clinic.services import invite

pytestmark = pytest.mark.django_db


def qr_svg(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True
    )
    return buffer.getvalue()


def shown_link(client, invitation, **extra) -> str:
    page = client.get(reverse("clinic:invitations"), **extra).content.decode()
    found = re.search(r"https?://[^\s\"<]*/invite/" + re.escape(invitation.token) + "/", page)
    assert found, "the invitations page shows no link for the invitation"
    return found.group(0)


def test_with_an_https_public_address_links_and_qr_codes_are_https(
    client, settings, northside, bob
):
    settings.BACKSTRETCH_BASE_URL = "https://stretch.example.org"
    invitation = invite(northside, bob, "patient", "new@example.org")
    client.force_login(bob)
    link = shown_link(client, invitation)
    assert link == f"https://stretch.example.org/invite/{invitation.token}/"
    qr = client.get(reverse("clinic:invitation_qr", args=[invitation.pk]))
    assert qr.content == qr_svg(link)
    assert qr.content != qr_svg(link.replace("https://", "http://", 1))


def test_behind_a_tls_proxy_without_a_public_address_links_follow_the_request(
    client, settings, northside, bob
):
    settings.BACKSTRETCH_BASE_URL = ""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["stretch.example.org"]
    invitation = invite(northside, bob, "patient", "new@example.org")
    client.force_login(bob)
    # What a proxy passes on: the Host people used, and the scheme they used it with.
    proxied = {"HTTP_HOST": "stretch.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
    link = shown_link(client, invitation, **proxied)
    assert link == f"https://stretch.example.org/invite/{invitation.token}/"
    qr = client.get(reverse("clinic:invitation_qr", args=[invitation.pk]), **proxied)
    assert qr.content == qr_svg(link)
