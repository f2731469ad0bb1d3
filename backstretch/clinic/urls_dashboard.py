from django.urls import URLPattern, path

from . import views_dashboard

urlpatterns: list[URLPattern] = [
    path("clinic/", views_dashboard.dashboard, name="dashboard"),
    path("clinic/patients/<int:patient_id>/", views_dashboard.patient, name="patient"),
]
