"""What `serve` redoes before it listens: only what changed (backstretch.core.setup)."""

from pathlib import Path

import pytest
from django.test import override_settings

from backstretch.core import setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def static_dirs(tmp_path, settings):
    source = tmp_path / "source"
    source.mkdir()
    (source / "extra.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, source]
    settings.STATIC_ROOT = tmp_path / "collected"
    return source, tmp_path / "collected"


def test_static_files_are_collected_once_then_again_only_after_a_change(static_dirs):
    source, collected = static_dirs
    assert setup.collect_static_if_changed() is True
    assert (collected / "extra.css").read_text() == "body { color: black; }"
    assert setup.collect_static_if_changed() is False

    (source / "extra.css").write_text("body { color: navy; }")
    assert setup.collect_static_if_changed() is True
    assert (collected / "extra.css").read_text() == "body { color: navy; }"

    (source / "new.js").write_text("// new")
    assert setup.collect_static_if_changed() is True
    assert (collected / "new.js").is_file()


def test_a_lost_manifest_is_collected_again(static_dirs):
    _, collected = static_dirs
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
    ):
        assert setup.collect_static_if_changed() is True
        Path(collected / "staticfiles.json").unlink()
        assert setup.collect_static_if_changed() is True
        assert (collected / "staticfiles.json").is_file()


def test_a_migrated_database_has_no_pending_migrations():
    assert setup.migrations_pending() is False


def test_a_migration_file_not_yet_applied_is_pending(monkeypatch):
    on_disk = setup.migration_files()
    monkeypatch.setattr(setup, "migration_files", lambda: on_disk | {("practice", "9999_new")})
    assert setup.migrations_pending() is True
