from django.urls import path

from . import player, views

app_name = "practice"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/play/", player.play, name="play"),
    path("history/", views.history, name="history"),
]
