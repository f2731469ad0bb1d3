"""Absolute links: the configured public address, else the one serve listens on."""

import pytest

from backstretch.links import absolute_url, mismatch_warning, served_base_url


@pytest.mark.parametrize(
    ("configured", "port", "warned"),
    [
        ("http://127.0.0.1:8000", 9000, True),
        ("http://localhost:8000/", 9000, True),
        ("http://127.0.0.1:9000", 9000, False),
        ("http://localhost", 8000, True),  # port 80
        ("https://stretch.example.org", 8000, False),  # behind a proxy: any port is fine
        ("stretch.example.org", 8000, True),  # no scheme: links would not open
    ],
)
def test_a_configured_address_that_cannot_reach_this_server_is_named(configured, port, warned):
    warning = mismatch_warning(configured, "127.0.0.1", port)
    assert (warning is not None) == warned
    if warning:
        assert configured.rstrip("/") in warning or repr(configured) in warning


def test_serve_names_a_concrete_address_and_leaves_a_wildcard_to_each_request():
    assert served_base_url("127.0.0.1", 9000) == "http://127.0.0.1:9000"
    assert served_base_url("::1", 9000) == "http://[::1]:9000"
    assert served_base_url("0.0.0.0", 9000) is None


def test_without_a_configured_address_links_follow_host_and_port(settings, monkeypatch, rf):
    settings.BACKSTRETCH_BASE_URL = ""
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.delenv("HOST", raising=False)
    assert absolute_url("/today/") == "http://127.0.0.1:9000/today/"
    request = rf.get("/", HTTP_HOST="127.0.0.1:9100")
    assert absolute_url("/today/", request) == "http://127.0.0.1:9100/today/"
    settings.BACKSTRETCH_BASE_URL = "https://stretch.example.org/"
    assert absolute_url("/today/", request) == "https://stretch.example.org/today/"
