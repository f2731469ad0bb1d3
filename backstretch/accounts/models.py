from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address.

    Roles are not stored here: clinic memberships and patient profiles say what a user is.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # A code from settings.LANGUAGES ("es"); empty: pages follow the browser's language.
    # Not a choices field, so adding a language needs no migration (the forms check it).
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # The person opened the link we mailed to this address (or it was vouched for another way:
    # see docs/accounts.md). Reminder e-mails go only to a verified address.
    email_verified = models.BooleanField(_("e-mail address confirmed"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone ("today", streaks, reminders, times on pages); UTC if the
        stored name is unknown."""
        try:
            return ZoneInfo(self.time_zone)
        except (KeyError, ValueError):
            return ZoneInfo("UTC")

    def today(self) -> date:
        """The person's own date now, in their time zone: "today" for streaks and check-ins."""
        return timezone.now().astimezone(self.zone).date()


class PatientProfile(models.Model):
    """What makes a user a patient: how and when they like to practise."""

    class Position(models.TextChoices):
        FLOOR = "floor", _("On the floor")
        BED = "bed", _("In bed — getting down to the floor is too much right now")
        CHAIR = "chair", _("On a chair")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient")
    preferred_position = models.CharField(
        _("where you will do your stretches"),
        max_length=10,
        choices=Position.choices,
        default=Position.FLOOR,
    )

    class Pace(models.TextChoices):
        USUAL = "usual", _("At the usual pace")
        SLOWER = "slower", _("Slower: longer holds, and more time to move between steps")

    pace = models.CharField(
        _("how fast the guided session goes"),
        max_length=10,
        choices=Pace.choices,
        default=Pace.USUAL,
    )
    # The clinician's switch for the player's camera mode: on, each hold's timer starts only
    # when the camera sees the patient in position; off, it runs as without the camera.
    camera_waits_for_position = models.BooleanField(
        _("Start each hold when the camera sees the patient in position"), default=True
    )
    daily_time = models.TimeField(_("daily time"), null=True, blank=True)
    weekly_target = models.PositiveSmallIntegerField(_("days a week to aim for"), default=5)
    # Clinician-invited patients were screened by their clinician.
    screened_by_clinician = models.BooleanField(default=False)
    clinic = models.ForeignKey(
        "clinic.Clinic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
    )
    clinician = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="clinician_of"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"patient {self.user}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the secret is shown
    once, when the token is made. ``prefix`` (the secret's first characters) tells tokens apart."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()
