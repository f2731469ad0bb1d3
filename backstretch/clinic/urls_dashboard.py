from django.urls import URLPattern, path

from . import views_dashboard, views_followup, views_messages

urlpatterns: list[URLPattern] = [
    path("clinic/", views_dashboard.dashboard, name="dashboard"),
    path("clinic/patients/<int:patient_id>/", views_dashboard.patient, name="patient"),
    path(
        "clinic/patients/<int:patient_id>/dealt/<slug:kind>/",
        views_followup.dealt_with,
        name="dealt_with",
    ),
    path(
        "clinic/patients/<int:patient_id>/red-flag/clear/",
        views_followup.clear_red_flag,
        name="clear_red_flag",
    ),
    path(
        "clinic/patients/<int:patient_id>/start-back/",
        views_followup.request_start_back,
        name="request_start_back",
    ),
    path(
        "clinic/patients/<int:patient_id>/camera/",
        views_followup.camera_switch,
        name="camera_switch",
    ),
    path(
        "clinic/patients/<int:patient_id>/messages/",
        views_messages.patient_messages,
        name="messages",
    ),
]
