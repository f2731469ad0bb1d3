import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile, User

SIGNUP = reverse("accounts:signup")


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
    assert "resolvedOptions().timeZone" in page


@pytest.mark.django_db
def test_it_creates_the_patient_logs_them_in_and_goes_to_the_safety_check(client):
    response = client.post(SIGNUP, form_data(email="Dana@Example.org"))
    assert response.status_code == 302
    assert response.url == reverse("safety:screen")
    user = User.objects.get()
    assert user.email == "dana@example.org"
    assert user.time_zone == "Europe/Berlin"
    assert user.check_password("slow-morning-stretch")
    assert user.patient.preferred_position == PatientProfile.Position.BED
    assert str(user.patient.daily_time) == "07:30:00"
    assert client.get(reverse("safety:screen")).status_code == 200


@pytest.mark.parametrize("email", ["alice@example.org", "ALICE@example.ORG", " Alice@Example.org "])
def test_it_refuses_an_e_mail_that_is_taken_whatever_its_case(client, patient, email):
    response = client.post(SIGNUP, form_data(email=email))
    assert response.status_code == 200
    assert "There is already an account with this e-mail address" in response.content.decode()
    assert User.objects.count() == 1


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
