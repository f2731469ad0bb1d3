from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backstretch.accounts.tokens import create_token
from backstretch.routines.services import active_routine


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


def session_body(user, **changes):
    version = active_routine(user).current
    ended = timezone.now() - timedelta(minutes=1)  # a frozen clock moves it too
    body = {
        "client_id": str(uuid.uuid4()),
        "routine_version": version.pk,
        "started_at": (ended - timedelta(minutes=10)).isoformat(),
        "ended_at": ended.isoformat(),
        "pain_before": 6,
        "pain_after": 4,
        "note": "",
        "steps": [
            {"index": 0, "result": "done"},
            {"index": 1, "result": "hurt", "hurt_severity": "lot"},
            {"index": 2, "result": "skipped"},
        ],
    }
    body.update(changes)
    return body


def post_json(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)
