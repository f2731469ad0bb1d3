"""Change a password (signed in) and set a new one through an e-mailed link: Django's own
views with our templates and words (templates/registration/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .forms_passwords import ChangePasswordForm, ForgottenPasswordForm, NewPasswordForm
from .limits import refuse_wait, too_many
from .models import User
from .throttle import forget_failures


class ChangePassword(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session signed in
        messages.success(self.request, _("Your password is changed."))
        return response


class ForgottenPassword(auth_views.PasswordResetView):
    form_class = ForgottenPasswordForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        wait = refuse_wait(self.request, "reset", form.cleaned_data["email"])
        if wait is not None:
            return too_many(self.request, wait)
        return super().form_valid(form)


class SetNewPassword(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        assert isinstance(user, User)
        # The link came to this address: it is confirmed, and the wrong tries that may have
        # locked the account out are forgiven (the lock-out page points here).
        if not user.email_verified:
            User.objects.filter(pk=user.pk).update(email_verified=True)
        forget_failures(user.email)
        return response
