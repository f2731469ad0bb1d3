"""The red-flag questions as a form: every question a yes/no pair, nothing chosen in advance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backstretch.dates import long_date

from .redflags import QUESTIONS, Question

YES, NO = "yes", "no"


class RedFlagForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=str(question.text),  # built per request, so in its language
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Please answer yes or no.")},
            )

    def numbered(self) -> list[tuple[int, Question, forms.BoundField]]:
        return [(number, q, self[q.key]) for number, q in enumerate(QUESTIONS, start=1)]

    def first_unanswered(self) -> tuple[int, forms.BoundField] | None:
        for number, _question, field in self.numbered():
            if field.errors:
                return number, field
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = [
            str(number)
            for number, question, _field in self.numbered()
            if question.key not in cleaned
        ]
        if missing:
            raise forms.ValidationError(
                ngettext(
                    "Question %(numbers)s still needs an answer.",
                    "Questions %(numbers)s still need an answer.",
                    len(missing),
                )
                % {"numbers": ", ".join(missing)},
                code="unanswered",
            )
        return cleaned

    def answers(self) -> dict[str, bool]:
        return {question.key: self.cleaned_data[question.key] == YES for question in QUESTIONS}


class SeenForm(forms.Form):
    """A self-guided patient's word that a clinician has seen them since their answers."""

    seen_by = forms.CharField(
        label=_("Who saw you?"),
        max_length=120,
        help_text=_("Their name, or the place: for example “Dr Okafor at the Park Surgery”."),
        error_messages={
            "required": _("Write who saw you: a name or the place."),
            "max_length": _("Keep it to %(limit_value)d characters or fewer."),
        },
    )
    seen_on = forms.DateField(
        label=_("On which day?"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give the day you were seen."),
            "invalid": _("Give the day as a date, for example 2026-11-18."),
        },
    )
    cleared = forms.BooleanField(
        label=_("They checked my back and said I can start exercising."),
        error_messages={
            "required": _("Tick the box only once a clinician has said you can start exercising.")
        },
    )

    def __init__(self, *args: Any, answered_on: date, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.answered_on, self.today = answered_on, today

    def clean_seen_on(self) -> date:
        day: date = self.cleaned_data["seen_on"]
        if day > self.today:
            raise forms.ValidationError(_("That day is still to come: give the day you were seen."))
        if day < self.answered_on:
            raise forms.ValidationError(
                _("That is before your answers on %(day)s: give a visit since then.")
                % {"day": long_date(self.answered_on, "j F Y")}
            )
        return day
