"""Printables: the routine handout (for the clinician and for the patient) and the report."""

from django.urls import URLPattern, path

from . import views_printing

urlpatterns: list[URLPattern] = [
    path("clinic/patients/<int:patient_id>/handout/", views_printing.handout, name="handout"),
    path("clinic/patients/<int:patient_id>/report/", views_printing.report, name="report"),
    path("me/handout/", views_printing.my_handout, name="my_handout"),
]
