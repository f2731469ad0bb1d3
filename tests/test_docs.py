"""Docs change with the code: every setting the code reads is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READS = re.compile(
    r"""(?:environ\.get|getenv|env_bool|env_list|environ\[)\(?\s*["']([A-Z_]+)["']"""
)


def settings_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "backstretch").rglob("*.py"):
        names.update(READS.findall(path.read_text()))
    names.discard("DJANGO_SETTINGS_MODULE")
    return names


def test_the_code_reads_settings_at_all():
    assert {"BACKSTRETCH_DATA_DIR", "DATABASE_URL", "PORT"} <= settings_read_by_the_code()


def test_every_setting_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    assert settings_read_by_the_code() - listed == set()


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in settings_read_by_the_code() if f"`{name}`" not in readme}
    assert missing == set()


def test_readme_shows_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
