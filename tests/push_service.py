"""A Web Push service we run on loopback, for tests: it takes what the app sends, checks the
VAPID signature with the app's public key and decrypts the body with the subscription's own
private key and auth secret (RFC 8291, aes128gcm), as a browser would. Nothing is mocked: the
app's real encryption and signing travel over a real HTTP connection.

``push_service`` (a fixture in tests/conftest.py) starts one per test; ``subscription()``
makes a browser's subscription (its keys stay with the test) pointing at it.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One subscribed browser: the keys only it holds."""

    name: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def public_key(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)


@dataclass
class Delivery:
    """What reached the push service for one browser, decrypted."""

    browser: str
    payload: dict[str, Any]
    ttl: str
    vapid_subject: str


@dataclass
class PushService:
    url: str
    browsers: dict[str, Browser] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)  # browsers that unsubscribed: answer 410
    received: threading.Condition = field(default_factory=threading.Condition)

    def subscription(self, name: str = "phone") -> dict[str, Any]:
        """A new browser subscription, as ``PushSubscription.toJSON()`` gives it."""
        browser = Browser(name, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.browsers[name] = browser
        return {
            "endpoint": f"{self.url}/push/{name}",
            "keys": {"p256dh": browser.public_key, "auth": b64url(browser.auth)},
        }

    def wait_for(self, count: int, timeout: float = 30) -> list[Delivery]:
        with self.received:
            self.received.wait_for(lambda: len(self.deliveries) >= count, timeout)
        return list(self.deliveries)


def check_vapid(header: str) -> dict[str, Any]:
    """The claims of a ``vapid t=<jwt>, k=<key>`` header, after checking its signature."""
    assert header.startswith("vapid "), header
    parts = dict(item.strip().split("=", 1) for item in header[6:].split(","))
    token, key = parts["t"], parts["k"]
    signed, signature = token.rsplit(".", 1)
    raw = unb64url(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
        signed.encode(),
        ec.ECDSA(hashes.SHA256()),
    )  # raises InvalidSignature when the app's key did not sign it
    from backstretch.push import vapid

    assert key == vapid.public_key(), "signed with a key other than the app's"
    return json.loads(unb64url(signed.split(".")[1]))


def start(service_holder: list[PushService]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            service = service_holder[0]
            name = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if name in service.gone or name not in service.browsers:
                self.send_response(410)
                self.end_headers()
                return
            browser = service.browsers[name]
            claims = check_vapid(self.headers["Authorization"])
            assert self.headers["Content-Encoding"] == "aes128gcm"
            plain = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth
            )
            with service.received:
                service.deliveries.append(
                    Delivery(name, json.loads(plain), self.headers["TTL"], claims["sub"])
                )
                service.received.notify_all()
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)
