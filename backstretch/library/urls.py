from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("<slug:slug>/", views.exercise_detail, name="detail"),
]
