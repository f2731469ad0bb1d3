"""The clinician's answers to what a patient told us (a reason dealt with, a red flag cleared)
and the switch for how the player's camera mode times this patient's holds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backstretch.accounts.models import PatientProfile

from .models import DealtWith


class DealtWithForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=DealtWith.NOTE_MAX,
        required=False,
        help_text=_("For example: “Called, she is fine, pain settling.” Up to 200 characters."),
        error_messages={
            "max_length": _(
                "Keep the note to %(limit_value)d characters or fewer (it has %(show_value)d): "
                "shorten it, or put the details in the patient's record."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ClearRedFlagForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked this patient and they may do their routine again."),
        error_messages={
            "required": _("Tick the box to say you have checked the patient before clearing.")
        },
    )


class CameraSwitchForm(forms.ModelForm):
    class Meta:
        model = PatientProfile
        fields = ("camera_waits_for_position",)
        help_texts = {
            "camera_waits_for_position": _(
                "When the patient uses the camera, each hold's timer waits until the camera sees "
                "them in position. Switch it off if the camera misjudges this patient's position: "
                "the timer then starts at once, and waits only while the camera sees nobody."
            )
        }
