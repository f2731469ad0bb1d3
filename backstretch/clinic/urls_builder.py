from django.urls import URLPattern, path

from . import views_builder, views_progression

urlpatterns: list[URLPattern] = [
    path(
        "clinic/patients/<int:patient_id>/routine/",
        views_builder.routine_builder,
        name="routine",
    ),
    path(
        "clinic/patients/<int:patient_id>/routine/history/",
        views_builder.routine_history,
        name="routine_history",
    ),
    path(
        "clinic/patients/<int:patient_id>/progression/",
        views_progression.progression_settings,
        name="progression",
    ),
    path(
        "clinic/patients/<int:patient_id>/progression/decide/",
        views_progression.decide,
        name="progression_decide",
    ),
]
