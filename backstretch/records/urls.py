from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("accounts/profile/export/", views.my_export, name="my_export"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
    path("accounts/deleted/", views.erased, name="erased"),
    path("clinic/patients/<int:patient_id>/export/", views.patient_export, name="patient_export"),
]
