"""Weekly check-ins and STarT Back, and the patient's "OK" to a changed routine.

The clinician's progression pages and STarT Back request are the clinic's (``clinic/urls_*.py``)."""

from django.urls import path

from . import views, views_progression

app_name = "outcomes"
urlpatterns = [
    path("checkins/weekly/", views.peg, name="peg"),
    path("checkins/start-back/", views.start_back, name="start_back"),
    path("today/routine-change/seen/", views_progression.notice_seen, name="notice_seen"),
]
