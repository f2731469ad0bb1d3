from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backstretch.accounts.models import PatientProfile
from tests.cast import code_now

LOGIN = reverse("login")


def test_login_and_logout_live_under_accounts():
    assert LOGIN == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"


def test_a_patient_logs_in_with_any_capitals_in_their_e_mail(client, patient):
    response = client.post(LOGIN, {"username": "ALICE@example.org", "password": "alice-password-1"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == patient.pk


def test_a_wrong_password_gets_a_plain_message(client, patient):
    response = client.post(LOGIN, {"username": "alice@example.org", "password": "nope"})
    assert "do not match an account" in response.content.decode()


def test_logout_is_a_post_and_shows_in_the_nav(client, patient):
    client.force_login(patient)
    page = client.get(reverse("library:list")).content.decode()
    assert f'action="{reverse("logout")}"' in page
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_home_sends_patients_to_today_and_welcomes_everyone_else(client, patient):
    page = client.get("/").content.decode()
    assert reverse("accounts:signup") in page
    assert reverse("login") in page
    client.force_login(patient)
    assert client.get("/").url == reverse("practice:today")


def test_a_user_without_a_profile_is_asked_for_preferences(client, django_user_model, library):
    user = django_user_model.objects.create_user("erin@example.org", "erin-password-1")
    client.force_login(user)
    assert client.get(reverse("practice:today")).url == reverse("accounts:onboarding")
    response = client.post(
        reverse("accounts:onboarding"),
        {"preferred_position": "chair", "daily_time": "18:00", "time_zone": "America/Denver"},
    )
    assert response.url == reverse("safety:screen")
    user.refresh_from_db()
    assert user.time_zone == "America/Denver"
    assert user.patient.preferred_position == PatientProfile.Position.CHAIR


def test_onboarding_needs_a_login(client, db):
    response = client.get(reverse("accounts:onboarding"))
    assert response.url.startswith(LOGIN)


def test_clinic_staff_land_on_their_clinic_and_see_no_patient_pages(client, patient, bob):
    client.post(LOGIN, {"username": "bob@example.org", "password": "bob-password-1"})
    device = TOTPDevice.objects.get(user=bob)
    client.post(reverse("accounts:twofactor_verify"), {"code": code_now(device)})
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("clinic:dashboard")
    page = response.content.decode()
    assert f'href="{reverse("clinic:dashboard")}"' in page
    for patient_page in ("practice:today", "practice:history", "reminders:settings"):
        assert f'href="{reverse(patient_page)}"' not in page
    # A patient's menu keeps them (and has no clinic link).
    client.force_login(patient)
    page = client.get(reverse("library:list")).content.decode()
    assert f'href="{reverse("practice:today")}"' in page
    assert f'href="{reverse("clinic:dashboard")}"' not in page
