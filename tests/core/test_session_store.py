"""Sessions read with plain SQL (core/sessions.py) keep Django's rules: a live session logs its
person in, an expired or unknown one logs no one in."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "/accounts/profile/"  # for logged-in people only


def test_a_live_session_is_its_person_and_an_expired_one_is_no_one(client, patient):
    client.force_login(patient)
    assert client.get(PAGE).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_session_key_logs_no_one_in(client, patient):
    client.force_login(patient)
    Session.objects.all().delete()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
