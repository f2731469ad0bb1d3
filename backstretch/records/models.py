from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasedRecord(models.Model):
    """The tombstone of an erased patient: that a record existed and was erased, when, by whom
    (their own request) and how many rows went. No name, e-mail or id of the person: the clinic's
    audit entries about them point here instead ("erased record #12")."""

    erased_at = models.DateTimeField(auto_now_add=True)
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.CharField(max_length=20, default="the patient")
    # Rows removed, by table ("practice.PracticeSession": 41, ...).
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ("-erased_at",)

    def __str__(self) -> str:
        return f"erased record #{self.pk}"


class ClinicExport(models.Model):
    """A clinic's whole data as one zip (bulk FHIR NDJSON and a CSV summary), made in the
    background by ``records.tasks.build_clinic_export`` and kept under the data directory
    until it expires or an admin deletes it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    # The site's address when it was asked for: canonical URLs in the FHIR resources use it.
    base_url = models.CharField(max_length=300)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    patients = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"clinic export #{self.pk}"

    @property
    def file_name(self) -> str:
        return f"backstretch-clinic-{self.clinic_id}-export-{self.pk}.zip"

    @property
    def unfinished(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
