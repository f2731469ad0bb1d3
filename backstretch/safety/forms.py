"""The red-flag questions as a form: every question a yes/no pair, nothing chosen in advance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


class ClearedForm(forms.Form):
    seen_by_clinician = forms.BooleanField(
        label=_("A clinician has seen me and said I can start exercising."),
        error_messages={
            "required": _("Tick the box only once a clinician has said you can start exercising.")
        },
    )
