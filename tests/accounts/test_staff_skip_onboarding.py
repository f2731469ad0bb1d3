"""Clinic staff never meet patient onboarding: the installed app opens /today/, and a clinician
or clinic admin who is not a patient goes to their clinic instead of becoming one."""

import pytest
from django.urls import reverse

from backstretch.accounts.models import PatientProfile, User

pytestmark = pytest.mark.django_db

CLINIC = reverse("clinic:dashboard")
PREFERENCES = {"preferred_position": "bed", "daily_time": "07:30", "time_zone": "Europe/Paris"}


@pytest.fixture(params=["bob", "dana"])
def staff(request):
    """Bob, a clinician, and Dana, a clinic admin: neither is a patient."""
    person = request.getfixturevalue(request.param)
    assert not hasattr(person, "patient")
    return person


def ends_at(client, method, url, data=None):
    response = getattr(client, method)(url, data or {}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else url


@pytest.mark.parametrize(
    "url", [reverse("practice:today"), reverse("accounts:onboarding"), reverse("safety:screen")]
)
def test_staff_opening_a_patient_start_page_land_in_their_clinic(client, staff, url):
    client.force_login(staff)
    assert ends_at(client, "get", url) == CLINIC


def test_staff_submitting_the_onboarding_form_do_not_become_patients(client, staff):
    client.force_login(staff)
    assert ends_at(client, "post", reverse("accounts:onboarding"), PREFERENCES) == CLINIC
    assert not PatientProfile.objects.filter(user=staff).exists()


def test_staff_opening_or_posting_the_sign_up_land_in_their_clinic(client, staff):
    client.force_login(staff)
    signup = reverse("accounts:signup")
    assert ends_at(client, "get", signup) == CLINIC
    data = dict(PREFERENCES, email="new@example.org", password="a quiet morning stretch")
    data["password_again"] = data["password"]
    assert ends_at(client, "post", signup, data) == CLINIC
    assert not User.objects.filter(email="new@example.org").exists()
    assert not PatientProfile.objects.filter(user=staff).exists()


def test_a_signed_in_person_who_is_neither_goes_through_patient_onboarding(client):
    person = User.objects.create_user("new@example.org", "a quiet morning stretch")
    client.force_login(person)
    assert ends_at(client, "get", reverse("practice:today")) == reverse("accounts:onboarding")


def test_an_anonymous_visitor_still_gets_the_patient_flow(client):
    page = client.get(reverse("accounts:signup"))
    assert page.status_code == 200 and 'name="password_again"' in page.content.decode()
    response = client.get(reverse("practice:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
