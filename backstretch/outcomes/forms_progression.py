from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from backstretch.routines.models import Routine

from .models import ProgressionSettings
from .progression_services import settings_for


class ProgressionSettingsForm(forms.ModelForm):
    mode = forms.ChoiceField(
        label=_("Progression"),
        choices=ProgressionSettings.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the routine follows the pain.")},
    )
    sessions_needed = forms.IntegerField(
        label=_("Calm sessions before a step up"),
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            _("Give a whole number of sessions from 2 to 30."),
        ),
    )
    max_repetitions = forms.IntegerField(
        label=_("Most repetitions"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            _("Give a whole number from 1 to 50, or leave it empty."),
        ),
        help_text=_("Empty: twice the exercise’s usual repetitions."),
    )
    max_hold_seconds = forms.IntegerField(
        label=_("Longest hold, seconds"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(900)],
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            _("Give a whole number of seconds from 1 to 900, or leave it empty."),
        ),
        help_text=_("Empty: twice the exercise’s usual hold."),
    )

    class Meta:
        model = ProgressionSettings
        fields = ("mode", "sessions_needed", "max_repetitions", "max_hold_seconds")


class DecisionForm(forms.Form):
    proposal = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Say which proposal you are answering.")},
    )
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose Accept or Decline.")},
    )


def settings_context(
    routine: Routine | None, form: ProgressionSettingsForm | None = None
) -> dict[str, Any]:
    found = settings_for(routine) if routine else None
    return {
        "routine": routine,
        "progression_form": form or ProgressionSettingsForm(instance=found),
        "progression_mode": found.get_mode_display() if found else "",
    }
