from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("feed/revoke/", views.revoke_feed, name="revoke_feed"),
    path("feed/<str:feed_token>.ics", views.feed, name="feed"),
    path("unsubscribe/<str:signed>/", views.unsubscribe, name="unsubscribe"),
]
