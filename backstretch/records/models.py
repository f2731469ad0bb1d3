from __future__ import annotations

from django.db import models


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
