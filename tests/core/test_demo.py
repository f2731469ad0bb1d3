"""`backstretch demo` as a command on an empty database: what it prints, and that running it
again changes nothing. What it builds is checked in test_demo_data.py."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from backstretch.accounts.models import User
from backstretch.clinic.models import Clinic, Membership

pytestmark = pytest.mark.django_db


def logs_in(client, email, password):
    """Through the log-in page, as a person does (django-axes counts what comes in a request)."""
    client.post(reverse("login"), {"username": email, "password": password})
    return "_auth_user_id" in client.session


def run_demo(*args, capsys):
    call_command("demo", *args)
    return capsys.readouterr().out


def test_demo_prints_logins_that_work(client, capsys):
    out = run_demo(capsys=capsys)
    assert "maria@demo.backstretch.test" in out
    assert logs_in(client, "maria@demo.backstretch.test", "stretch-daily-2026")


def test_demo_json_lists_people_in_the_documented_form(capsys):
    people = json.loads(run_demo("--json", capsys=capsys))
    assert people, "the demo must create at least one login"
    for person in people:
        assert set(person) == {"email", "password", "name", "role", "clinic", "totp_secret"}
        assert person["role"] in {"clinic_admin", "clinician", "patient"}
        # Staff sign in with a second step: the demo prints their authenticator's key.
        assert (person["totp_secret"] is not None) == (person["role"] != "patient")


def test_demo_is_idempotent(capsys):
    first = json.loads(run_demo("--json", capsys=capsys))
    count = User.objects.count()
    second = json.loads(run_demo("--json", capsys=capsys))
    assert User.objects.count() == count
    assert first == second


def test_demo_password_comes_from_the_environment(monkeypatch, client, capsys):
    monkeypatch.setenv("BACKSTRETCH_DEMO_PASSWORD", "a-different-demo-pass")
    people = json.loads(run_demo("--json", capsys=capsys))
    assert {p["password"] for p in people} == {"a-different-demo-pass"}
    assert logs_in(client, people[0]["email"], "a-different-demo-pass")


def test_demo_has_two_clinics_each_with_an_admin_a_clinician_and_three_patients(capsys):
    people = json.loads(run_demo("--json", capsys=capsys))
    assert Clinic.objects.count() == 2
    for name in ("Riverside Back Clinic", "Hillview Physio"):
        roles = sorted(p["role"] for p in people if p["clinic"] == name)
        assert roles == ["clinic_admin", "clinician", "patient", "patient", "patient"]
    admins = Membership.objects.filter(is_admin=True)
    assert admins.count() == 2 and not admins.filter(is_clinician=True).exists()


def test_demo_prints_the_logins_grouped_by_clinic(capsys):
    out = run_demo(capsys=capsys)
    riverside, hillview = out.index("Riverside Back Clinic"), out.index("Hillview Physio")
    assert riverside < out.index("maria@demo") < out.index("june@demo") < hillview
    assert hillview < out.index("grace@demo") < out.index("lena@demo")


def test_demo_remove_deletes_the_demo_and_nothing_else(client, capsys):
    from backstretch.accounts.models import PatientProfile
    from backstretch.practice.models import PracticeSession

    real_clinic = Clinic.objects.create(name="Riverside Back Clinic")  # a real one, same name
    nurse = User.objects.create_user("nurse@example.org", "a long enough password")
    Membership.objects.create(clinic=real_clinic, user=nurse, is_clinician=True)
    people = json.loads(run_demo("--json", capsys=capsys))
    demo_users = User.objects.filter(email__in=[p["email"] for p in people])
    assert demo_users.count() == len(people) and PracticeSession.objects.exists()

    out = run_demo("--remove", capsys=capsys)

    assert f"Removed the demo: {len(people)} accounts with their data, 1 clinic." in out
    assert not demo_users.exists()
    assert not PracticeSession.objects.exists() and not PatientProfile.objects.exists()
    assert list(Clinic.objects.all()) == [real_clinic]
    assert list(real_clinic.memberships.values_list("user__email", flat=True)) == [nurse.email]
    form = {"username": people[0]["email"], "password": people[0]["password"]}
    client.post(reverse("login"), form)
    assert "_auth_user_id" not in client.session  # the demo's log-in no longer works
    # Nothing left to remove: it says so and changes nothing.
    assert "Removed the demo: 0 accounts with their data, 0 clinics." in run_demo(
        "--remove", capsys=capsys
    )
    assert User.objects.get() == nurse
