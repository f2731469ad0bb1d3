"""Pages and API answers travel gzipped to clients that ask for it; small bodies and images
do not."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/library/", "/accounts/login/"])
def test_pages_are_gzipped_for_a_browser_that_accepts_it(client, library, path):
    plain = client.get(path)
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content)
    assert b"</html>" in page
    assert len(response.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain


def test_tiny_answers_go_out_as_they_are(db):
    response = Client().get("/api/v1/me/today", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 401
    assert len(response.content) < 200
    assert "Content-Encoding" not in response
    assert response.json()["detail"]
