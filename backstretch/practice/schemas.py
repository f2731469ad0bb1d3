"""The shape of a performed session as a player sends it (web, terminal, API). Pure pydantic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Pain = Annotated[int, Field(ge=0, le=10, description="0 = no pain … 10 = worst imaginable")]
# A phone's clock may run a little ahead of the server's; more than this is a wrong clock.
CLOCK_SKEW = timedelta(minutes=10)


class StepResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: Annotated[int, Field(ge=0, le=5000, description="position in the played timeline")]
    result: Literal["done", "skipped", "hurt"]
    hurt_severity: Literal["little", "lot", "sharp"] | None = None
    # Optional description of the step played (the player may have swapped in a gentler
    # position, so the index alone does not say which exercise it was).
    kind: Literal["intro", "get_ready", "hold", "rest", "switch_side", "next", "done"] | None = None
    exercise: Annotated[str, Field(max_length=60)] | None = None
    position: Literal["floor", "bed", "chair", "standing"] | None = None
    side: Literal["left", "right"] | None = None
    rep: Annotated[int, Field(ge=1, le=100)] | None = None

    @model_validator(mode="after")
    def severity_only_when_hurt(self) -> StepResultIn:
        if self.result == "hurt" and self.hurt_severity is None:
            raise ValueError("hurt_severity is required when result is 'hurt'")
        if self.result != "hurt" and self.hurt_severity is not None:
            raise ValueError("hurt_severity is only allowed when result is 'hurt'")
        return self


class HurtReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step_index: Annotated[int, Field(ge=0, le=5000)]
    exercise: Annotated[str, Field(max_length=60)]
    position: Literal["floor", "bed", "chair", "standing"]
    side: Literal["left", "right"] | None = None
    severity: Literal["little", "lot", "sharp"]
    numbness: bool = False
    action: Literal["gentler", "shorter", "skip", "continue", "stop"]
    reported_at: datetime


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID
    routine_version: Annotated[int, Field(ge=1, description="id of the routine version followed")]
    started_at: datetime
    ended_at: datetime
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    completed: bool = True
    variant: Literal["full", "bad_day"] = "full"
    steps: Annotated[list[StepResultIn], Field(max_length=5000)] = []
    hurt_reports: Annotated[list[HurtReportIn], Field(max_length=200)] = []

    @field_validator("started_at", "ended_at", mode="after")
    @classmethod
    def aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-25T08:30:00Z")
        return value

    @model_validator(mode="after")
    def times_make_sense(self) -> SessionIn:
        if self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.ended_at > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("ended_at is in the future: check the device's clock")
        if self.ended_at - self.started_at > timedelta(hours=6):
            raise ValueError("a session cannot last more than 6 hours")
        indexes = [step.index for step in self.steps]
        if len(indexes) != len(set(indexes)):
            raise ValueError("each step index may appear only once")
        return self
