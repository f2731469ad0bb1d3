from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    views,
    views_emaillink,
    views_passwords,
    views_profile,
    views_twofactor,
    views_verify,
)
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("profile/", views_profile.profile, name="profile"),
    path("profile/language/", views_profile.language, name="language"),
    path("profile/tokens/<int:token_id>/revoke/", views_profile.revoke, name="token_revoke"),
    path("verify/send/", views_verify.send_again, name="verify_send"),
    path("verify/<str:signed>/", views_verify.verify, name="verify"),
    path("two-step/", views_twofactor.verify, name="twofactor_verify"),
    path("two-step/set-up/", views_twofactor.setup, name="twofactor_setup"),
    path("two-step/recovery-codes/", views_twofactor.recovery_codes, name="recovery_codes"),
    path("two-step/off/", views_twofactor.turn_off, name="twofactor_off"),
    path("link/", views_emaillink.ask, name="email_link"),
    path("link/sent/", views_emaillink.sent, name="email_link_sent"),
    path("link/<str:signed>/", views_emaillink.use, name="email_link_use"),
]

# Django's own log-in, log-out and password views under the plain names LOGIN_URL, templates
# and Django's password views expect (log-out also clears what the browser kept:
# views.LogoutView).
auth_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views_passwords.ChangePassword.as_view(), name="password_change"),
    path("password/forgotten/", views_passwords.ForgottenPassword.as_view(), name="password_reset"),
    path(
        "password/forgotten/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views_passwords.SetNewPassword.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
