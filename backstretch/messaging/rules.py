"""What a message may hold. No Django here."""

from __future__ import annotations

MAX_LENGTH = 2000


def clean_body(text: str) -> str:
    """The message as it is stored (spaces at either end removed); ValueError saying what to
    fix when it is empty or too long."""
    body = text.strip()
    if not body:
        raise ValueError("The message is empty: write something before sending.")
    if len(body) > MAX_LENGTH:
        raise ValueError(
            f"The message is {len(body):,} characters long; one message holds at most "
            f"{MAX_LENGTH:,}. Shorten it, or send it in parts."
        )
    return body
