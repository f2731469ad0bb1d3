"""Progression: the clinician's settings and answers, and the patient's "OK" to a change."""

from django.urls import path

from . import views_progression as views

app_name = "routines"
urlpatterns = [
    path(
        "clinic/patients/<int:patient_id>/progression/",
        views.progression_settings,
        name="settings",
    ),
    path(
        "clinic/patients/<int:patient_id>/progression/decide/",
        views.decide,
        name="decide",
    ),
    path("today/routine-change/seen/", views.notice_seen, name="notice_seen"),
]
