"""The shape of a performed session as a player sends it (web, terminal, API). Pure pydantic."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

Pain = Annotated[
    int, Field(strict=True, ge=0, le=10, description="0 = no pain … 10 = worst imaginable")
]
# A phone's clock may run a little ahead of the server's; more than this is a wrong clock.
CLOCK_SKEW = timedelta(minutes=10)
# Before this, a session time is a wrong clock (and far-off years overflow time zone sums).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# Ids the databases can hold (SQLite and PostgreSQL bigint); larger ones cannot exist.
MAX_ID = 2**62
# The longest hold the camera may report on (the longest session is 6 hours; a hold is far less).
MAX_CAMERA_SECONDS = 3600
Slug = Annotated[str, Field(max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class StepResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: Annotated[
        int, Field(strict=True, ge=0, le=5000, description="position in the played timeline")
    ]
    result: Literal["done", "skipped", "hurt"]
    hurt_severity: Literal["little", "lot", "sharp"] | None = Field(
        default=None, validate_default=True
    )
    # Optional description of the step played (the player may have swapped in a gentler
    # position, so the index alone does not say which exercise it was).
    kind: (
        Literal[
            "intro",
            "get_ready",
            "move_in",
            "hold",
            "activity",
            "rest",
            "switch_side",
            "next",
            "done",
        ]
        | None
    ) = None
    exercise: Slug | None = None
    position: Literal["floor", "bed", "chair", "standing"] | None = None
    side: Literal["left", "right"] | None = None
    rep: Annotated[int, Field(ge=1, le=100)] | None = None
    # What the camera coach saw of a hold it watched (a summary, never a measurement of angles
    # or range of motion: camera joint angles are off by several degrees).
    camera_seconds: (
        Annotated[
            float,
            Field(
                strict=True,
                ge=0,
                le=MAX_CAMERA_SECONDS,
                allow_inf_nan=False,
                description="seconds the camera saw the patient in position during this hold "
                "(stored to 0.1 s); only on a step of kind 'hold'",
            ),
        ]
        | None
    ) = None
    camera_rep: (
        Annotated[
            bool,
            Field(
                strict=True,
                description="whether the camera counted this hold as done (held long enough in "
                "position); only on a step of kind 'hold'",
            ),
        ]
        | None
    ) = None

    @field_validator("hurt_severity", mode="after")
    @classmethod
    def severity_only_when_hurt(cls, value: str | None, info: ValidationInfo) -> str | None:
        result = info.data.get("result")
        if result == "hurt" and value is None:
            raise ValueError(_("required when result is 'hurt'"))
        if result not in (None, "hurt") and value is not None:
            raise ValueError(_("only allowed when result is 'hurt'"))
        return value

    @field_validator("camera_seconds", mode="after")
    @classmethod
    def camera_seconds_of_a_hold(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        _only_on_holds(info)
        return round(value, 1)

    @field_validator("camera_rep", mode="after")
    @classmethod
    def camera_rep_of_a_hold(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value is not None:
            _only_on_holds(info)
        return value


def _only_on_holds(info: ValidationInfo) -> None:
    # A kind that failed its own check is reported there, not again here.
    if "kind" in info.data and info.data["kind"] != "hold":
        raise ValueError(_("only allowed on a step of kind 'hold' (the camera watches holds)"))


class HurtReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step_index: Annotated[int, Field(strict=True, ge=0, le=5000)]
    exercise: Slug
    position: Literal["floor", "bed", "chair", "standing"]
    side: Literal["left", "right"] | None = None
    severity: Literal["little", "lot", "sharp"]
    numbness: bool = False
    action: Literal["gentler", "shorter", "skip", "continue", "stop"]
    reported_at: datetime

    @field_validator("reported_at", mode="after")
    @classmethod
    def aware(cls, value: datetime) -> datetime:
        return _sensible_time(value)


def _sensible_time(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("give a time zone, e.g. 2026-11-25T08:30:00Z"))
    try:
        if value < EARLIEST:
            raise ValueError(_("before the year 2000: check the device's clock"))
    except OverflowError:
        raise ValueError(_("not a real time: check the device's clock")) from None
    return value


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID
    routine_version: Annotated[
        int, Field(ge=1, le=MAX_ID, description="id of the routine version followed")
    ]
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
        return _sensible_time(value)

    @field_validator("note", mode="after")
    @classmethod
    def storable(cls, value: str) -> str:
        # Databases refuse NUL characters and lone surrogates; say so instead of failing.
        if "\x00" in value:
            raise ValueError(_("must not contain NUL characters"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(_("contains characters that are not valid text")) from None
        return value

    @field_validator("ended_at", mode="after")
    @classmethod
    def times_make_sense(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError(_("in the future: check the device's clock"))
        started = info.data.get("started_at")
        if started is not None:
            if value < started:
                raise ValueError(_("before started_at"))
            if value - started > timedelta(hours=6):
                raise ValueError(_("a session cannot last more than 6 hours"))
        return value

    @field_validator("steps", mode="after")
    @classmethod
    def unique_indexes(cls, value: list[StepResultIn]) -> list[StepResultIn]:
        indexes = [step.index for step in value]
        if len(indexes) != len(set(indexes)):
            raise ValueError(_("each step index may appear only once"))
        return value


# --- What the API answers -------------------------------------------------------------------


class StepResultOut(BaseModel):
    """A stored per-step result (the fields a player sent; absent ones are null)."""

    index: int
    result: str
    hurt_severity: str | None = None
    kind: str | None = None
    exercise: str | None = None
    position: str | None = None
    side: str | None = None
    rep: int | None = None
    camera_seconds: float | None = Field(
        default=None, description="seconds the camera saw the patient in position (holds only)"
    )
    camera_rep: bool | None = Field(
        default=None, description="whether the camera counted the hold as done (holds only)"
    )


class SessionOut(BaseModel):
    id: int
    client_id: UUID
    routine_version: int
    started_at: datetime
    ended_at: datetime
    local_date: date = Field(description="the patient's own date when the session started")
    pain_before: int | None
    pain_after: int | None
    note: str
    completed: bool
    variant: str
    holds_done: int
    holds_skipped: int
    hurts: int
    steps: list[StepResultOut]


class SessionPage(BaseModel):
    count: int = Field(description="sessions in all")
    limit: int
    offset: int
    items: list[SessionOut] = Field(description="newest first")


class TimelineStepOut(BaseModel):
    kind: str
    exercise: str | None
    position: str | None
    side: str | None
    rep: int | None
    seconds: int
    cue: str


class TimelineOut(BaseModel):
    total_seconds: int
    steps: list[TimelineStepOut]


class RoutineRef(BaseModel):
    id: int = Field(description="the routine's id")
    version: int = Field(description="the current version's id: send it as routine_version")
    number: int = Field(description="the version's number (1, 2, …) as the patient sees it")
    name: str


class TodayOut(BaseModel):
    date: dt.date = Field(description="the patient's own date today")
    routine: RoutineRef | None
    done_today: bool
    rest_day: bool = Field(description="today is not one of the routine's planned days")
    timeline: TimelineOut | None = Field(description="every timed step the player plays")


class RoutineItemOut(BaseModel):
    exercise: str
    name: str
    position: str
    hold_seconds: int
    repetitions: int
    sides: str
    rest_seconds: int
    note: str


class RoutineOut(RoutineRef):
    days: list[int] = Field(description="planned weekdays, Monday 0")
    times_per_day: int
    review_date: date | None
    items: list[RoutineItemOut]


class ErrorOut(BaseModel):
    detail: str


class FieldError(BaseModel):
    field: str = Field(description="where in the request, e.g. steps.0.result; empty: the body")
    message: str


class InvalidOut(ErrorOut):
    errors: list[FieldError]


# Answers every operation may give: not logged in, or a wrong or expired token (401); a
# browser session's write without its CSRF token (403); bad input, named by field (422); too
# many wrong tokens from this client address (429, see backstretch/accounts/throttle.py).
COMMON_ERRORS: dict[int, type[BaseModel]] = {401: ErrorOut, 422: InvalidOut, 429: ErrorOut}
# Every write may also be refused for coming too fast from one account (core/ratelimit.py):
# a 429 as well, already among the common answers.
WRITE_ERRORS: dict[int, type[BaseModel]] = dict(COMMON_ERRORS)
