from django.urls import path

from . import views

app_name = "checkins"
urlpatterns = [
    path("checkins/weekly/", views.peg, name="peg"),
    path("checkins/start-back/", views.start_back, name="start_back"),
    path(
        "clinic/patients/<int:patient_id>/start-back/",
        views.request_start_back,
        name="request_start_back",
    ),
]
