"""The server's VAPID key: it signs every push request, so push services know the sender.

The key is made once, on first start, into the data directory (like the secret key), or read
from ``BACKSTRETCH_VAPID_KEY_FILE``; several app servers share one file's contents.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

# cryptography is imported inside the functions: loaded at start it cost every server process
# ~8 MB, and only a page offering notifications or a push being sent needs it.


def ensure_key_file(path: Path) -> None:
    """Write a new P-256 private key (PEM, mode 0600) unless the file exists."""
    if path.exists():
        return
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        os.link(partial, path)  # whole or not at all; a process that started first wins
    except FileExistsError:
        pass
    finally:
        partial.unlink()


@cache
def private_key() -> ec.EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = Path(settings.BACKSTRETCH_VAPID_KEY_FILE)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} does not hold an elliptic-curve (P-256) private key")
    return key


def private_key_der() -> str:
    """The private key as pywebpush takes it: base64url of its DER form."""
    from cryptography.hazmat.primitives import serialization

    der = private_key().private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.urlsafe_b64encode(der).decode().rstrip("=")


@cache
def public_key() -> str:
    """The public key a browser subscribes with (``applicationServerKey``), base64url."""
    from cryptography.hazmat.primitives import serialization

    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
