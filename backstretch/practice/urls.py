from django.urls import path

from . import player, views, views_position, views_pwa

app_name = "practice"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/play/", player.play, name="play"),
    path("history/", views.history, name="history"),
    path("today/where/", views_position.change_position, name="position"),
    path("today/pace/", views_position.change_pace, name="pace"),
    path("sw.js", views_pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("icons/<str:name>", views_pwa.picture, name="picture"),
    path("apple-touch-icon.png", views_pwa.apple_touch_icon, name="apple-touch-icon"),
]
