from django.urls import path

from . import views, views_careplan, views_clinic

app_name = "records"
urlpatterns = [
    path("accounts/profile/export/", views.my_export, name="my_export"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
    path("accounts/deleted/", views.erased, name="erased"),
    path("clinic/patients/<int:patient_id>/export/", views.patient_export, name="patient_export"),
    path(
        "clinic/patients/<int:patient_id>/routine/import/",
        views_careplan.careplan_import,
        name="careplan_import",
    ),
    path("clinic/<int:clinic_id>/exports/", views_clinic.exports, name="clinic_exports"),
    path(
        "clinic/<int:clinic_id>/exports/<int:export_id>/download/",
        views_clinic.export_download,
        name="clinic_export_download",
    ),
    path(
        "clinic/<int:clinic_id>/exports/<int:export_id>/delete/",
        views_clinic.export_delete,
        name="clinic_export_delete",
    ),
]
