from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import MAX_LENGTH, clean_body


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_LENGTH}),
        # Checked by clean_body, which says what to fix (an empty or too long message).
        required=False,
        strip=False,
    )

    def clean_body(self) -> str:
        try:
            return clean_body(self.cleaned_data.get("body") or "")
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None
