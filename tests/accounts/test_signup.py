from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from backstretch.accounts.models import PatientProfile, User
from tests.reminders.smtp import smtp_fixture  # noqa: F401 (the "smtp" fixture)

SIGNUP = reverse("accounts:signup")


def link_path(text):
    url = next(word for word in text.split() if "/accounts/verify/" in word)
    assert url.startswith("https://stretch.example.org/accounts/verify/")
    return urlparse(url).path


def form_data(**changes):
    data = {
        "email": "dana@example.org",
        "password": "slow-morning-stretch",
        "password_again": "slow-morning-stretch",
        "preferred_position": "bed",
        "daily_time": "07:30",
        "time_zone": "Europe/Berlin",
    }
    data.update(changes)
    return data


def test_the_form_offers_every_time_zone_with_utc_by_default(client):
    page = client.get(SIGNUP).content.decode()
    assert '<option value="Pacific/Auckland">' in page
    assert '<option value="UTC" selected>' in page
    # js/enhance.js starts from the browser's own zone (tests/browser/test_onboarding.py).
    assert '<select name="time_zone" data-guess-zone' in page


@pytest.mark.django_db
def test_it_creates_the_patient_logs_them_in_and_goes_to_the_safety_check(client, smtp):
    response = client.post(SIGNUP, form_data(email="Dana@Example.org"))
    assert response.status_code == 302
    assert response.url == reverse("safety:screen")
    user = User.objects.get()
    assert user.email == "dana@example.org"
    assert user.time_zone == "Europe/Berlin"
    assert user.check_password("slow-morning-stretch")
    assert user.patient.preferred_position == PatientProfile.Position.BED
    assert str(user.patient.daily_time) == "07:30:00"
    assert not user.email_verified
    assert client.get(reverse("safety:screen")).status_code == 200
    # A link to confirm the address is in the post; opening it (no log-in needed) confirms it.
    [message] = smtp.wait_for(1)
    assert message["To"] == "dana@example.org"
    assert message["Subject"] == "Confirm your e-mail address for Backstretch"
    opened = Client().get(link_path(smtp.text(message)))
    assert opened.status_code == 200
    assert "is confirmed" in opened.content.decode()
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.parametrize("email", ["alice@example.org", "ALICE@example.ORG", " Alice@Example.org "])
def test_a_taken_address_is_not_revealed_and_its_owner_is_told(client, patient, smtp, email):
    response = client.post(SIGNUP, form_data(email=email), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("accounts:signup_sent"), 302)]
    assert "Check your e-mail" in page
    assert "There is already an account" not in page
    assert "_auth_user_id" not in client.session  # nobody is logged in
    assert User.objects.count() == 1
    patient.refresh_from_db()
    assert patient.check_password("alice-password-1")  # the typed password changed nothing
    [note] = smtp.wait_for(1)
    assert note["To"] == "alice@example.org"
    assert note["Subject"] == "Someone tried to sign up to Backstretch with your address"
    text = smtp.text(note)
    assert "https://stretch.example.org/accounts/login/" in text
    assert "https://stretch.example.org/accounts/password/forgotten/" in text


def test_the_check_your_e_mail_page_needs_a_sign_up_first(client, db):
    assert client.get(reverse("accounts:signup_sent")).url == SIGNUP


@pytest.mark.django_db
def test_a_confirmation_link_that_was_altered_or_is_for_an_old_address_does_not_work(client, smtp):
    client.post(SIGNUP, form_data())
    [message] = smtp.wait_for(1)
    link = link_path(smtp.text(message))
    altered = Client().get(link[:-3] + "xx/")
    assert altered.status_code == 404
    assert "This link no longer works" in altered.content.decode()
    User.objects.update(email="dana@example.net")
    assert Client().get(link).status_code == 404
    assert not User.objects.get().email_verified


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("38472938472", "This password is entirely numeric"),
    ],
)
def test_it_refuses_a_weak_password_with_the_reason(client, password, message):
    response = client.post(SIGNUP, form_data(password=password, password_again=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_passwords_that_differ(client):
    response = client.post(SIGNUP, form_data(password_again="slow-morning-stretcH"))
    assert "The two passwords are not the same." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_explains_an_unknown_time_zone_and_saves_nothing(client):
    response = client.post(SIGNUP, form_data(time_zone="Mars/Olympus_Mons"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Mars/Olympus_Mons” is not a time zone we know" in page
    assert 'aria-invalid="true"' in page
    assert not User.objects.exists()
    assert not PatientProfile.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_listed_in_the_error_summary(client):
    page = client.post(SIGNUP, {}).content.decode()
    assert 'class="error-summary"' in page
    assert "Enter your e-mail address." in page
    assert "Choose where you will do your stretches." in page


def test_a_logged_in_patient_is_sent_home_from_sign_up(client, patient):
    client.force_login(patient)
    assert client.get(SIGNUP).url == reverse("home")


@pytest.mark.django_db
def test_on_a_chair_at_sign_up_gives_a_chair_routine_with_no_kneeling(client, library):
    """Through the real sign-up and the safety questions, as a patient does it."""
    from backstretch.routines.services import active_routine
    from backstretch.safety.redflags import QUESTIONS

    client.post(SIGNUP, form_data(preferred_position="chair"))
    answers = {question.key: "no" for question in QUESTIONS}
    assert client.post(reverse("safety:screen"), answers).url == reverse("practice:today")
    routine = active_routine(User.objects.get())
    assert routine.template_slug == "starter-chair"
    assert {item["position"] for item in routine.current.items} == {"chair", "standing"}
    page = client.get(reverse("practice:today")).content.decode()
    assert "Starter routine, on a chair" in page
    assert "Kneel" not in page and "kneel" not in page
    assert "a steady chair" in page  # what to have ready
