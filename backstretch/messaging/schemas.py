"""The API's shapes for a thread, shared by the patient's and the clinic's endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import Message
from .rules import MAX_LENGTH, clean_body


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(description=f"not empty, at most {MAX_LENGTH} characters")]

    @field_validator("text")
    @classmethod
    def sendable(cls, value: str) -> str:
        return clean_body(value)  # its ValueError names the problem


class MessageOut(BaseModel):
    id: int
    kind: Literal["text", "note", "hurt"] = Field(
        description="text: written in the thread; note: a session note; hurt: a “this hurts”"
    )
    from_patient: bool
    author: str | None = Field(description="the writer's name; null once their account is gone")
    text: str
    created_at: datetime
    session_date: date | None = Field(description="the session a note or “this hurts” is from")
    unread: bool = Field(description="from the other side, and not yet read by yours")


class ThreadOut(BaseModel):
    clinic: str = Field(description="the clinic the thread is with")
    unread: int = Field(description="messages from the other side not read yet")
    items: list[MessageOut] = Field(description="the newest messages, oldest first")


class ReadOut(BaseModel):
    unread: int = Field(description="0: every message so far is read")


def message_out(message: Message, read_up_to: int, reader_is_patient: bool) -> dict[str, Any]:
    author = message.author
    return {
        "id": message.pk,
        "kind": message.kind,
        "from_patient": message.from_patient,
        "author": (author.name or author.email) if author is not None else None,
        "text": message.body,
        "created_at": message.created_at,
        "session_date": message.session.local_date if message.session else None,
        "unread": message.from_patient != reader_is_patient and message.pk > read_up_to,
    }
