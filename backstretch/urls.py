from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from backstretch.accounts.urls import auth_urlpatterns
from backstretch.api import api
from backstretch.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("library/", include("backstretch.library.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("backstretch.accounts.urls")),
    path("safety/", include("backstretch.safety.urls")),
    path("", include("backstretch.practice.urls")),
    path("", include("backstretch.clinic.urls")),
    path("", include("backstretch.outcomes.urls")),
    path("reminders/", include("backstretch.reminders.urls")),
    path("messages/", include("backstretch.messaging.urls")),
    path("", include("backstretch.records.urls")),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs"), name="api_docs"),
    path("admin/", admin.site.urls),
]

handler500 = "backstretch.core.views.server_error"
