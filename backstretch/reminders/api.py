"""GET and PUT /api/v1/me/reminders: the same settings as the reminders page."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from backstretch import access
from backstretch.accounts.models import User
from backstretch.practice.schemas import COMMON_ERRORS, WRITE_ERRORS, ErrorOut, InvalidOut

from .content import feed_url
from .forms import quiet_clash_message
from .models import Channel, ReminderSettings
from .schedule import WEEKDAY_CODES, QuietHours, never_reached
from .services import save_settings, settings_for

router = Router(tags=["reminders"])

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ChannelName = Literal["email", "calendar"]
LeadMinutes = Literal[0, 5, 10, 30]
LEAD_HELP = "minutes before the reminder time the calendar's alert comes: 0, 5, 10 or 30"


class QuietHoursSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    start: time = Field(description="local time quiet hours begin, e.g. 22:00")
    end: time = Field(description="local time they end, e.g. 07:00 (may be after midnight)")

    @model_validator(mode="after")
    def different_ends(self) -> QuietHoursSchema:
        if self.start == self.end:
            raise ValueError("start and end must differ (use null for no quiet hours)")
        return self


class RemindersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    calendar_url: str | None = Field(default=None, description="ignored: read-only")
    time: Annotated[time, Field(description="local reminder time, e.g. 07:30")]
    days: Annotated[list[Day], Field(min_length=1, max_length=7, description="e.g. ['mon']")]
    channels: Annotated[list[ChannelName], Field(max_length=2)]
    quiet_hours: QuietHoursSchema | None = None
    alert_minutes_before: LeadMinutes | None = Field(
        default=None, description=LEAD_HELP + " (left out: unchanged)"
    )

    @field_validator("quiet_hours")
    @classmethod
    def reachable(cls, value: QuietHoursSchema | None, info: ValidationInfo) -> Any:
        remind_at = info.data.get("time")
        if value is not None and remind_at is not None:
            start, end = (t.replace(tzinfo=None) for t in (value.start, value.end))
            if never_reached(remind_at.replace(tzinfo=None), QuietHours(start, end)):
                raise ValueError(quiet_clash_message(remind_at, start, end))
        return value

    @field_validator("days", "channels")
    @classmethod
    def no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each value once")
        return value


class QuietHoursOut(Schema):
    start: str
    end: str


class RemindersOut(Schema):
    calendar_url: str | None = Field(description="private feed URL; null while the feed is off")
    time: str
    days: list[Day]
    channels: list[ChannelName]
    quiet_hours: QuietHoursOut | None
    alert_minutes_before: LeadMinutes = Field(description=LEAD_HELP)


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def reminders_out(reminders: ReminderSettings, request: HttpRequest) -> dict[str, Any]:
    quiet = reminders.quiet
    return {
        "calendar_url": feed_url(reminders, request) if reminders.calendar_on else None,
        "time": _hhmm(reminders.time),
        "days": [WEEKDAY_CODES[d] for d in sorted(reminders.days)],
        "channels": list(reminders.channels),
        "quiet_hours": {"start": _hhmm(quiet.start), "end": _hhmm(quiet.end)} if quiet else None,
        "alert_minutes_before": reminders.lead_minutes,
    }


def _patient(request: HttpRequest) -> User | None:
    """The logged-in patient cleared to practise; None for anyone else (a 403)."""
    user = getattr(request, "auth", None) or request.user
    if not user.is_authenticated:
        raise AuthenticationError
    if access.practice_gate(user) is not None:
        return None
    assert isinstance(user, User)
    return user


NOT_A_PATIENT = {
    "detail": "Reminders are for patients who have a routine: finish setting up first."
}


@router.get(
    "/reminders",
    response={200: RemindersOut, 403: ErrorOut, **COMMON_ERRORS},
    summary="Your reminder settings and calendar feed URL",
)
def get_reminders(request: HttpRequest) -> Status[dict[str, Any]]:
    user = _patient(request)
    if user is None:
        return Status(403, NOT_A_PATIENT)
    return Status(200, reminders_out(settings_for(user), request))


@router.put(
    "/reminders",
    # 400: the body is not JSON; 422: it is, but a field is wrong (named in "errors").
    response={200: RemindersOut, 400: InvalidOut, 403: ErrorOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Change your reminder settings (send the whole object, as GET returns it)",
)
def put_reminders(request: HttpRequest, payload: RemindersIn) -> Status[dict[str, Any]]:
    user = _patient(request)
    if user is None:
        return Status(403, NOT_A_PATIENT)
    reminders = settings_for(user)
    reminders.time = payload.time.replace(second=0, microsecond=0, tzinfo=None)
    reminders.days = sorted(WEEKDAY_CODES.index(day) for day in payload.days)
    reminders.channels = [c for c in Channel.values if c in payload.channels]
    quiet = payload.quiet_hours
    reminders.quiet_start = quiet.start.replace(tzinfo=None) if quiet else None
    reminders.quiet_end = quiet.end.replace(tzinfo=None) if quiet else None
    if payload.alert_minutes_before is not None:
        reminders.lead_minutes = payload.alert_minutes_before
    save_settings(reminders)
    return Status(200, reminders_out(reminders, request))
