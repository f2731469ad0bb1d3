"""Property-based: schemathesis generates requests from our own OpenAPI schema (valid and
invalid ones) and sends them, as Alice with her token, to the app through WSGI. No answer may
be a 5xx, every answer's status must be one the document lists for that operation, and every
answer must match its schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backstretch.accounts.tokens import create_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def schema(db):
    # As Django's test client does: keep the test's database connection (and its
    # transaction) open across requests instead of closing it after each one.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def unlimited_writes(settings):
    """Thousands of generated writes from one account: the write limit would answer most of
    them with 429 (tests/core/test_rate_limit.py checks it), and hide the rest of the API."""
    settings.BACKSTRETCH_WRITE_LIMITS = ((10**9, 60),)


@pytest.fixture
def tokens(alice_token, bob):
    """Alice (a patient) and Bob, her clinician."""
    return {"alice": alice_token, "bob": create_token(bob)[1]}


def property_test(cases: SearchStrategy[schemathesis.Case], checks: list[Any]) -> Any:
    """Send each generated case and check the answer; bounded and repeatable."""

    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        case.validate_response(response, checks=checks)

    return check


def takes_input(operation: Any) -> bool:
    raw = operation.definition.raw
    return bool(raw.get("parameters") or raw.get("requestBody"))


@pytest.mark.parametrize("who", ["alice", "bob"])
@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_no_server_errors_and_answers_match_the_schema(schema, tokens, who, mode):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    # Schemathesis' WSGI transport asks for gzip but does not unpack it: ask for the plain body
    # (tests/api/test_edges.py checks that answers are gzipped for clients that accept it).
    headers = {"Authorization": f"Bearer {tokens[who]}", "Accept-Encoding": "identity"}
    exercised = []
    for operation in operations:
        if mode == schemathesis.GenerationMode.NEGATIVE and not takes_input(operation):
            continue  # no parameters and no body: nothing to get wrong, no negative case exists
        check = property_test(operation.as_strategy(mode, headers=headers), CHECKS)
        try:
            check()
        except Unsatisfiable:
            # Nothing to get wrong (no parameters, no body): no negative cases exist.
            assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
            continue
        exercised.append(operation.label)
    assert "POST /api/v1/me/sessions" in exercised
    assert "GET /api/v1/patients/{patient_id}/sessions" in exercised
    assert "PUT /api/v1/me/reminders" in exercised
    assert "POST /api/v1/patients/{patient_id}/messages" in exercised
    assert "POST /api/v1/me/push/subscriptions" in exercised
