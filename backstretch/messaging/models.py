from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backstretch.practice.models import PracticeSession

from .rules import MAX_LENGTH


class Thread(models.Model):
    """The one private conversation between a patient and their clinic.

    Read state is kept per side: what the patient has seen, and what the clinic (any of its
    clinicians) has seen, each as the id of the newest message read.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_threads"
    )
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.CASCADE, related_name="message_threads"
    )
    patient_read_id = models.PositiveBigIntegerField(default=0)
    clinic_read_id = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "clinic"], name="one_thread_per_clinic")
        ]

    def __str__(self) -> str:
        return f"messages of {self.patient}"


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("message")
        NOTE = "note", _("session note")
        HURT = "hurt", _("“this hurts”")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_patient = models.BooleanField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(max_length=MAX_LENGTH)
    session = models.ForeignKey(
        PracticeSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What a note or "this hurts" entry came from ("note:<session id>", "hurt:<report id>"):
    # a session reaches the thread once, however often the signal comes.
    source = models.CharField(max_length=40, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("id",)
        indexes = [
            # Unread counts: a thread's messages from one side after the last one read.
            models.Index(fields=["thread", "from_patient", "id"], name="message_unread_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.thread}"
