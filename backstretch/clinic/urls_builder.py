from django.urls import URLPattern, path

from . import views_builder

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
]
