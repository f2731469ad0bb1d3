"""The clinician portal's URLs; each area keeps its own list (names share the "clinic:" prefix)."""

from django.urls import URLPattern

from . import urls_builder, urls_dashboard, urls_people, urls_printing

app_name = "clinic"
urlpatterns: list[URLPattern] = [
    *urls_dashboard.urlpatterns,
    *urls_builder.urlpatterns,
    *urls_people.urlpatterns,
    *urls_printing.urlpatterns,
]
