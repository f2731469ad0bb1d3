from django.urls import path

from . import views

app_name = "safety"
urlpatterns = [
    path("check/", views.screen, name="screen"),
    path("check/result/", views.outcome, name="outcome"),
    path("check/cleared/", views.confirm_cleared, name="confirm_cleared"),
    path("help/", views.help_page, name="help"),
]
