"""The documented production environment (docs/deployment.md), as an operator uses it: Django's
deployment check finds nothing, and a server behind a TLS-ending proxy redirects plain HTTP,
sends HSTS and secure cookies, and lets a load balancer probe /healthz."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_serve import free_port, stop

BIN = Path(sys.executable).parent / "backstretch"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
START_DEADLINE = 120
REQUEST_TIMEOUT = 60


def documented_environment() -> dict[str, str]:
    text = DOCS.read_text()
    block = re.search(r"<!-- production-environment:.*?-->\s*```sh\n(.*?)```", text, re.S)
    assert block, "docs/deployment.md has lost its production environment block"
    pairs = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    assert pairs["BACKSTRETCH_BASE_URL"].startswith("https://")
    return pairs


@pytest.fixture
def production_env(cli_env):
    env = {k: v for k, v in cli_env.items() if not k.startswith(("BACKSTRETCH_HSTS", "HOST"))}
    for name in ("BACKSTRETCH_SECURE_COOKIES", "BACKSTRETCH_HTTPS_REDIRECT", "PORT"):
        env.pop(name, None)
    return dict(env, **documented_environment())


def test_check_deploy_finds_nothing_with_the_documented_environment(production_env):
    result = subprocess.run(
        [str(BIN), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_still_warns_without_it(cli_env):
    # The check above can fail: the same command without the environment has findings.
    result = subprocess.run(
        [str(BIN), "check", "--deploy"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE,
    )
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        return OPENER.open(request, timeout=REQUEST_TIMEOUT)
    except urllib.error.HTTPError as error:
        return error


def test_behind_a_tls_proxy_http_is_redirected_and_https_gets_hsts_and_secure_cookies(
    production_env,
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=dict(production_env, BACKSTRETCH_WORKERS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_DEADLINE
        while True:  # a load balancer's probe: plain HTTP, never redirected
            try:
                if get(base + "/healthz").status == 200:
                    break
            except OSError:
                pass  # not listening yet
            assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)  # poll again: the server is still starting
        # A request that reached the proxy over plain HTTP goes to HTTPS.
        plain = get(base + "/accounts/login/", **{"X-Forwarded-Proto": "http"})
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{port}/accounts/login/"
        # Over HTTPS: browsers are told to stay on HTTPS, and cookies go only over HTTPS.
        secure = get(base + "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        hsts = secure.headers["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains"
        cookies = secure.headers.get_all("Set-Cookie")
        assert cookies and all("Secure" in cookie for cookie in cookies)
        # The public host is allowed without being listed.
        public = get(base + "/healthz", Host="stretch.example.org")
        assert public.status == 200
        assert get(base + "/healthz", Host="elsewhere.example.org").status == 400
    finally:
        output = stop(process)  # after its banner, printed just after the port first answers
    assert "https://stretch.example.org (BACKSTRETCH_BASE_URL)" in output
