"""Forms for inviting people, joining a clinic by invitation, and filtering the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from backstretch.accounts.forms import SignUpForm, current_language, language_field
from backstretch.accounts.models import User

from .models import Invitation


class _InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter the e-mail address of the person you are inviting."),
            "invalid": _("Enter an e-mail address like name@example.com."),
        },
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=150,
        required=False,
        help_text=_("Helps you tell your invitations apart."),
    )
    language = language_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["language"].help_text = _(
            "The language of their invitation e-mail and, once they join, of their pages and "
            "spoken routine. They can change it."
        )
        if not self.is_bound:
            self.fields["language"].initial = current_language()

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class PatientInviteForm(_InviteForm):
    """A clinician invites a patient to the clinic."""


class StaffInviteForm(_InviteForm):
    """A clinic admin invites a colleague as a clinician or as another admin."""

    kind = forms.ChoiceField(
        label=_("Invite them as"),
        choices=[
            (Invitation.Kind.CLINICIAN, _("Clinician — sees and treats the clinic's patients")),
            (
                Invitation.Kind.CLINIC_ADMIN,
                _("Clinic admin — manages people and reads the audit log"),
            ),
        ],
        initial=Invitation.Kind.CLINICIAN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what they will do at the clinic.")},
    )

    field_order = ["email", "name", "language", "kind"]


class PatientJoinForm(SignUpForm):
    """Sign-up for an invited patient: the account form, with the invited address filled in
    and fixed (an invitation is for the person it was sent to; a posted address is ignored)."""

    def __init__(self, *args: Any, email: str, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if language and not self.is_bound:  # the language the clinician chose for them
            self.fields["language"].initial = language
        field = self.fields["email"]
        field.initial = email
        field.disabled = True
        field.help_text = _(
            "The address your invitation was sent to. To use another one, ask the clinic to "
            "invite that address."
        )
        # The address is already there: start where the typing starts.
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs["autofocus"] = True

    def clean_email(self) -> str:
        # Only the holder of a clinic's invitation link sees this form; they are told to log
        # in and accept it (the public sign-up page never says an address is taken).
        email = super().clean_email()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account with this e-mail address. Try logging in."),
                code="duplicate",
            )
        return email


class StaffJoinForm(PatientJoinForm):
    """Sign-up for an invited colleague: an account and a time zone, no stretching preferences."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["preferred_position"]
        del self.fields["daily_time"]

    @transaction.atomic
    def save(self) -> User:
        data = self.cleaned_data
        return User.objects.create_user(
            data["email"],
            data["password"],
            time_zone=data["time_zone"],
            language=data.get("language") or current_language(),
        )


def join_form_class(invitation: Invitation) -> type[SignUpForm]:
    return PatientJoinForm if invitation.kind == Invitation.Kind.PATIENT else StaffJoinForm


class AuditFilterForm(forms.Form):
    """Narrow the audit log to one patient's record, or to what one person did."""

    patient = forms.TypedChoiceField(label=_("Patient"), required=False, coerce=int)
    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int)

    def __init__(self, *args: Any, patients: list[User], actors: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, people in (("patient", patients), ("actor", actors)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Everyone")), *((u.pk, _label(u)) for u in people)]


def _label(user: User) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email
