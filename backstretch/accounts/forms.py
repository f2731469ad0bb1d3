"""Sign-up, log-in and the patient's preferences (where, when, which time zone)."""

from __future__ import annotations

import zoneinfo
from datetime import time
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import PatientProfile, User

DEFAULT_DAILY_TIME = time(8, 0)
# The backend that checks passwords, for logging in an account just made (settings.py lists
# two: this one, and Django's own for sessions begun before it).
PASSWORD_BACKEND = "backstretch.core.backends.SignedInBackend"


@cache
def time_zone_names() -> tuple[str, ...]:
    # "localtime" and "Factory" are not places a person lives in.
    names = zoneinfo.available_timezones() - {"localtime", "Factory"}
    return tuple(sorted(names))


def language_field(required: bool = False) -> forms.ChoiceField:
    """The language a person's pages, e-mails and spoken routine are in (each language's name
    in its own words, as settings.LANGUAGES gives them); it starts as the browser's, and a
    form sent without it (an older page, a script) keeps the language the page was in."""
    return forms.TypedChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=required,
        coerce=str,
        empty_value="",
        help_text=_("The language of your pages, e-mails and spoken routine."),
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose one of the languages in the list."),
        },
    )


def current_language() -> str:
    """The language the page is in now (the browser's, or the person's), as a LANGUAGES code."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LanguageForm(forms.Form):
    """The language, changed later on the profile page."""

    language = language_field(required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PreferencesForm(forms.Form):
    """How a patient likes to practise; shared by sign-up and onboarding."""

    preferred_position = forms.ChoiceField(
        label=_("Where will you do your stretches?"),
        choices=PatientProfile.Position.choices,
        initial=PatientProfile.Position.FLOOR,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where you will do your stretches.")},
    )
    daily_time = forms.TimeField(
        label=_("What time of day suits you?"),
        help_text=_("The same time every day makes it easier to keep going. You can change it."),
        initial=DEFAULT_DAILY_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Choose a time of day, for example 08:00."),
            "invalid": _("Enter a time like 08:00 or 19:30."),
        },
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        help_text=_("So that “today” and your reminders follow your own clock."),
        initial="UTC",
        error_messages={
            "required": _("Choose your time zone."),
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose yours from the list, "
                "for example Europe/London."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if "language" in self.fields and not self.is_bound:
            self.fields["language"].initial = current_language()
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in time_zone_names()]
        if not self.is_bound:  # start from the browser's own zone (js/enhance.js)
            field.widget.attrs["data-guess-zone"] = True

    def save_profile(self, user: User) -> PatientProfile:
        data = self.cleaned_data
        user.time_zone = data["time_zone"]
        user.save(update_fields=["time_zone"])
        profile, _created = PatientProfile.objects.update_or_create(
            user=user,
            defaults={
                "preferred_position": data["preferred_position"],
                "daily_time": data["daily_time"],
            },
        )
        return profile


class PositionForm(forms.Form):
    """Where a patient practises, changed later on their profile page."""

    preferred_position = forms.ChoiceField(
        label=_("Where do you do your routine?"),
        choices=PatientProfile.Position.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose where you do your routine: on the floor, in bed or on a chair."),
            "invalid_choice": _(
                "Choose where you do your routine: on the floor, in bed or on a chair."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PaceForm(forms.Form):
    """How fast the guided session goes for a patient, chosen on their profile page."""

    pace = forms.ChoiceField(
        label=_("How fast should the guided session go?"),
        choices=PatientProfile.Pace.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the usual pace or a slower one."),
            "invalid_choice": _("Choose the usual pace or a slower one."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignUpForm(PreferencesForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.com."),
        },
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A short sentence you will remember works well."),
        error_messages={"required": _("Choose a password.")},
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type your password a second time, to be sure.")},
    )

    language = language_field()

    field_order = [
        "email",
        "password",
        "password_again",
        "language",
        "preferred_position",
        "daily_time",
        "time_zone",
    ]

    def clean_email(self) -> str:
        # Whether the address is taken is not the form's to say: the sign-up page answers the
        # same either way (views.signup). An invitation's join form says it (forms_people).
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        again = cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords are not the same."))
        if password:
            candidate = User(email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned

    @transaction.atomic
    def save(self) -> User:
        data = self.cleaned_data
        user = User.objects.create_user(
            data["email"],
            data["password"],
            time_zone=data["time_zone"],
            language=data.get("language") or current_language(),
        )
        self.save_profile(user)
        return user


class LoginForm(AuthenticationForm):
    """Django's log-in form; the e-mail address matches whatever its capitals."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That e-mail address and password do not match an account. Check them and try again."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username") or "").strip().lower()
