from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .questions import PEG_ITEMS, START_BACK_BOTHER_CHOICES, START_BACK_STATEMENTS

PEG_ERRORS = {
    "required": _("Choose a number from 0 to 10."),
    "invalid": _("Choose a whole number from 0 to 10."),
    "min_value": _("Choose a number from 0 to 10."),
    "max_value": _("Choose a number from 0 to 10."),
}


class PegForm(forms.Form):
    pain = forms.IntegerField(min_value=0, max_value=10, error_messages=PEG_ERRORS)
    enjoyment = forms.IntegerField(min_value=0, max_value=10, error_messages=PEG_ERRORS)
    activity = forms.IntegerField(min_value=0, max_value=10, error_messages=PEG_ERRORS)
    scale = range(11)

    def items(self) -> list[tuple[Any, forms.BoundField]]:
        return [(item, self[item.field]) for item in PEG_ITEMS]


AGREE_CHOICES = [("1", _("Agree")), ("0", _("Disagree"))]


class StartBackForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, statement in enumerate(START_BACK_STATEMENTS, start=1):
            self.fields[f"item_{number}"] = forms.ChoiceField(
                label=statement,
                choices=AGREE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose agree or disagree.")},
            )
        self.fields["item_9"] = forms.ChoiceField(
            choices=[(str(i), text) for i, text in enumerate(START_BACK_BOTHER_CHOICES)],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one answer.")},
        )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[f"item_{n}"]) for n in range(1, 10)]

    def statements(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(1, 9)]
