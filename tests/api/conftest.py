from __future__ import annotations

import json

import pytest
from django.test import Client

from backstretch.accounts.tokens import create_token


@pytest.fixture
def patient(patient):
    """Alice, cleared to practise (her clinician screened her)."""
    patient.patient.screened_by_clinician = True
    patient.patient.save()
    return patient


@pytest.fixture
def alice_token(patient):
    return create_token(patient, "test")[1]


@pytest.fixture
def api(alice_token):
    """A client that talks to the API as Alice with her Bearer token (no cookie, no CSRF)."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {alice_token}")


def post_json(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)
