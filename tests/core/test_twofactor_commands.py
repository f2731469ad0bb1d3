"""The demo's staff and their printed authenticator key (`backstretch totp`), and an operator
resetting a clinician's two-step sign-in after a lost phone (`backstretch twofactor`)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from backstretch.accounts import twofactor
from backstretch.clinic.models import AuditEvent

pytestmark = pytest.mark.django_db

CLINIC = reverse("clinic:dashboard")
VERIFY = reverse("accounts:twofactor_verify")


def password_login(client, email, password):
    client.post(reverse("login"), {"username": email, "password": password})
    assert "_auth_user_id" in client.session


def test_a_newcomer_signs_in_as_demo_staff_with_the_printed_code(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "add it to any authenticator app" in out
    assert "backstretch totp EMAIL" in out
    client = Client()
    password_login(client, "omar@demo.backstretch.test", "stretch-daily-2026")
    assert client.get(CLINIC).url.startswith(VERIFY)
    call_command("totp", "omar@demo.backstretch.test")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    assert client.post(VERIFY, {"code": code, "next": CLINIC}).url == CLINIC
    assert client.get(CLINIC).status_code == 200


def test_totp_refuses_accounts_the_demo_did_not_make(bob, capsys):
    call_command("demo")
    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("totp", "bob@example.org")
    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("totp", "maria@demo.backstretch.test")  # a demo patient: no authenticator


def test_resetting_a_lost_phone_is_audited_and_means_setting_up_again(bob, dana, capsys):
    codes = twofactor.new_recovery_codes(bob)
    call_command("twofactor", "status", "bob@example.org")
    assert "on, 10 unused recovery codes" in capsys.readouterr().out
    call_command("twofactor", "reset", "bob@example.org", "--by", "dana@example.org")
    assert "no longer work" in capsys.readouterr().out
    assert not twofactor.has_second_factor(bob)
    event = AuditEvent.objects.get(what__contains="two-step sign-in reset")
    assert event.actor == dana
    assert event.clinic.name == "Northside"
    assert "bob@example.org" in event.what

    client = Client()
    password_login(client, "bob@example.org", "bob-password-1")
    assert client.post(VERIFY, {"code": codes[0]}).url == reverse("accounts:twofactor_setup")
    assert client.get(CLINIC).status_code == 302


def test_reset_names_an_unknown_address(db):
    with pytest.raises(CommandError, match="No user with the e-mail address"):
        call_command("twofactor", "reset", "nobody@example.org")
