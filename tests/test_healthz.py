import pytest
from django.db import connection

from backstretch import __version__

pytestmark = pytest.mark.django_db


def test_healthz_says_the_database_answers_and_is_migrated(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}


def test_healthz_names_no_software_or_version(client):
    # Anyone may ask it: it must not help an attacker pick an exploit.
    body = client.get("/healthz").content.decode().lower()
    for telltale in (connection.vendor, "sqlite", "postgres", __version__):
        assert telltale not in body
    assert connection.cursor().db.get_database_version()  # a version there was to leak


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_says_so_while_a_migration_is_not_applied(client, monkeypatch):
    from backstretch.core import views

    monkeypatch.setattr(views, "_migrations_applied", False)  # as in a process just started
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'library' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'library')"
        )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "migrations": "pending"}
