"""The API's edges: answers are JSON whatever the path or method, and travel gzipped."""

from __future__ import annotations

import gzip
import json

import pytest


def test_api_answers_are_gzipped_and_still_json(api):
    response = api.get("/api/v1/me/today", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["routine"]["name"]


@pytest.mark.parametrize(
    "path",
    [
        "/api",
        "/api/v1/nothing-here",
        "/api/v1/me/today/extra",
        "/api/v2/me/today",
        "/api/elsewhere/",
    ],
)
def test_an_unknown_address_under_api_answers_json_404(api, path):
    response = api.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_unknown_address_outside_the_api_keeps_the_html_page(api):
    response = api.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_address_does_not_take_answers_json_405_with_allow(api):
    response = api.delete("/api/v1/me/reminders")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PUT"}
    assert "DELETE" in response.json()["detail"]


def test_a_missing_object_stays_the_apis_own_json_404(api):
    response = api.get("/api/v1/patients/999999/sessions")
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/json")
