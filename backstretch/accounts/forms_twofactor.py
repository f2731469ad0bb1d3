"""Forms of the two-step sign-in and of the e-mailed sign-in link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

CODE_MAX = 40  # a recovery code with spaces and dashes fits easily


class CodeForm(forms.Form):
    """A six-digit code from the app (or, where allowed, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        error_messages={
            "required": _("Type the six-digit code your app shows."),
            "max_length": _("That is too long for a code. Type the six digits your app shows."),
        },
    )

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            # The code page asks for nothing else (the set-up page keeps the QR code in view).
            field.widget.attrs["autofocus"] = True
            field.help_text = _(
                "The six digits your authenticator app shows now, or one of your recovery codes."
            )
        else:
            field.help_text = _("The six digits your authenticator app shows now.")
        field.widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        )
        if not recovery:
            field.widget.attrs["inputmode"] = "numeric"


class EmailLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The address you log in with."),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.com."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
