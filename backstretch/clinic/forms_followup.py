"""The clinician's answers to what a patient told us: a reason dealt with, a red flag cleared."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
