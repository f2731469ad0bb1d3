from django.urls import URLPattern, path

from . import views_dashboard, views_messages

urlpatterns: list[URLPattern] = [
    path("clinic/", views_dashboard.dashboard, name="dashboard"),
    path("clinic/patients/<int:patient_id>/", views_dashboard.patient, name="patient"),
    path(
        "clinic/patients/<int:patient_id>/messages/",
        views_messages.patient_messages,
        name="messages",
    ),
]
