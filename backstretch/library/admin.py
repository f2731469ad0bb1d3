"""Staff's view of the exercise library. The data files are the source of truth (edited and
reviewed like code, loaded by `backstretch library sync`), so the admin reads, never writes."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "direction", "positions", "retired", "synced_at")
    list_filter = ("kind", "direction", "retired")
    search_fields = ("name", "slug", "summary")
    readonly_fields = [f.name for f in Exercise._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
