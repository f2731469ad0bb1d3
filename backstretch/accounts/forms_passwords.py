"""Django's password forms (change, forgotten, set a new one) in our own words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backstretch.links import absolute_url

NEW_PASSWORD_HELP = _("At least 8 characters. A short sentence you will remember works well.")


class NewPasswordForm(SetPasswordForm):
    """Choose a new password (after a reset link), twice."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": _("The two passwords are not the same."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("New password")
        first.help_text = NEW_PASSWORD_HELP
        first.error_messages["required"] = _("Choose a new password.")
        first.widget.attrs["autofocus"] = True
        second.label = _("Type the new password again")
        second.help_text = ""
        second.error_messages["required"] = _("Type the new password a second time, to be sure.")


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    """The signed-in person's current password, then a new one twice. The current one is
    checked through ``authenticate()``, so wrong tries count towards a lock-out (django-axes)
    as on the log-in page: a borrowed, logged-in browser cannot guess it here either."""

    error_messages = {
        **NewPasswordForm.error_messages,
        "password_incorrect": _("That is not your current password. Type it again."),
    }
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs.pop("autofocus", None)
        current = self.fields["old_password"]
        current.label = _("Your current password")
        current.error_messages["required"] = _("Type your current password.")
        current.widget.attrs["autofocus"] = True

    def clean_old_password(self) -> str:
        current = str(self.cleaned_data.get("old_password") or "")
        user = authenticate(self.request, username=self.user.email, password=current)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return current


class ForgottenPasswordForm(PasswordResetForm):
    """Ask for a reset link. The answer is the same whether or not the address has an account;
    the link in the e-mail starts with the site's public address (``links.absolute_url``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Your e-mail address")
        email.help_text = _("The address you log in with.")
        email.error_messages["required"] = _("Enter your e-mail address.")
        email.error_messages["invalid"] = _("Enter an e-mail address like name@example.com.")
        email.widget.attrs["autofocus"] = True

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        context["reset_url"] = absolute_url(
            reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        )
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )
