"""The patient's reminder settings form: every problem named by its field."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Channel, LeadTime, ReminderSettings
from .schedule import QuietHours, never_reached


def quiet_clash_message(remind_at: time, start: time, end: time) -> str:
    return gettext(
        "A reminder at %(time)s falls in your quiet hours (%(start)s–%(end)s), which run past "
        "midnight, so it would never be sent. Pick a time before %(start)s or from %(end)s, "
        "or change the quiet hours."
    ) % {"time": f"{remind_at:%H:%M}", "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
QUIET_INPUT = forms.TimeInput(
    attrs={"type": "time", "aria-describedby": "quiet-help"}, format="%H:%M"
)


class ReminderForm(forms.Form):
    time = forms.TimeField(
        label=_("Reminder time"),
        help_text=_("Your own local time. The reminder comes at this time on the days below."),
        widget=TIME_INPUT,
        error_messages={
            "required": _("Enter a time, for example 07:30."),
            "invalid": _("Enter a time as hours and minutes, for example 07:30."),
        },
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one day.")},
    )
    channels = forms.MultipleChoiceField(
        label=_("How to remind you"),
        help_text=_("Leave both unticked to have no reminders at all."),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead_minutes = forms.TypedChoiceField(
        label=_("Calendar alert"),
        help_text=_("When your calendar app alerts you: at the reminder time or a little before."),
        choices=LeadTime.choices,
        coerce=int,
        error_messages={"invalid_choice": _("Pick one of the alert times in the list.")},
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=QUIET_INPUT,
        error_messages={"invalid": _("Enter a time as hours and minutes, for example 22:00.")},
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=QUIET_INPUT,
        error_messages={"invalid": _("Enter a time as hours and minutes, for example 07:00.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if "quiet_start" in self.errors or "quiet_end" in self.errors:
            return cleaned
        if start is not None and end is None:
            self.add_error("quiet_end", _("Enter when quiet hours end, or clear both times."))
        elif end is not None and start is None:
            self.add_error("quiet_start", _("Enter when quiet hours start, or clear both times."))
        elif start is not None and start == end:
            self.add_error("quiet_end", _("Quiet hours need to end at a different time."))
        elif (
            start is not None
            and end is not None
            and "time" in cleaned
            and never_reached(cleaned["time"], QuietHours(start, end))
        ):
            self.add_error("time", quiet_clash_message(cleaned["time"], start, end))
        return cleaned

    @classmethod
    def initial_from(cls, reminders: ReminderSettings) -> dict[str, Any]:
        return {
            "time": reminders.time,
            "days": list(reminders.days),
            "channels": list(reminders.channels),
            "quiet_start": reminders.quiet_start,
            "quiet_end": reminders.quiet_end,
            "lead_minutes": reminders.lead_minutes,
        }

    def apply_to(self, reminders: ReminderSettings) -> None:
        data = self.cleaned_data
        reminders.time = data["time"]
        reminders.days = sorted(set(data["days"]))
        reminders.channels = [c for c in Channel.values if c in data["channels"]]
        reminders.quiet_start = data["quiet_start"]
        reminders.quiet_end = data["quiet_end"]
        reminders.lead_minutes = data["lead_minutes"]
