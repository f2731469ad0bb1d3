from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_profile
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("profile/", views_profile.profile, name="profile"),
    path("profile/tokens/<int:token_id>/revoke/", views_profile.revoke, name="token_revoke"),
]

# Django's own log-in and log-out views under the plain names LOGIN_URL and templates expect
# (log-out also clears what the browser kept: views.LogoutView).
auth_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
