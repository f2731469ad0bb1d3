import json

import pytest
from django.core.management import call_command

from backstretch.accounts.models import User

pytestmark = pytest.mark.django_db


def run_demo(*args, capsys):
    call_command("demo", *args)
    return capsys.readouterr().out


def test_demo_prints_logins_that_work(client, capsys):
    out = run_demo(capsys=capsys)
    assert "maria@demo.backstretch.test" in out
    assert client.login(email="maria@demo.backstretch.test", password="stretch-daily-2026")


def test_demo_json_lists_people_in_the_documented_form(capsys):
    people = json.loads(run_demo("--json", capsys=capsys))
    assert people, "the demo must create at least one login"
    for person in people:
        assert set(person) == {"email", "password", "name", "role", "clinic"}
        assert person["role"] in {"clinic_admin", "clinician", "patient"}


def test_demo_is_idempotent(capsys):
    run_demo(capsys=capsys)
    count = User.objects.count()
    first = json.loads(run_demo("--json", capsys=capsys))
    second = json.loads(run_demo("--json", capsys=capsys))
    assert User.objects.count() == count
    assert first == second


def test_demo_password_comes_from_the_environment(monkeypatch, client, capsys):
    monkeypatch.setenv("BACKSTRETCH_DEMO_PASSWORD", "a-different-demo-pass")
    people = json.loads(run_demo("--json", capsys=capsys))
    assert {p["password"] for p in people} == {"a-different-demo-pass"}
    assert client.login(email=people[0]["email"], password="a-different-demo-pass")
