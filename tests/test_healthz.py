import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_it_reached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
