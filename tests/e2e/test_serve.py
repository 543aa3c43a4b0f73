"""``hansa serve`` as a real server process, talked to over HTTP on localhost."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.conftest import ADMIN, ADMIN_PASSWORD, HANSA, Cli


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(initialised: Cli, cli_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [HANSA, "server", "start", "--port", str(port)],
        env=cli_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx2.TransportError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"server did not start: {proc.communicate()[1]!r}")
    yield base
    proc.terminate()
    _, stderr = proc.communicate(timeout=15)
    assert b"Traceback" not in stderr


def test_served_api_authenticates_and_enforces_roles(server: str, initialised: Cli) -> None:
    initialised(
        "users", "add", "--username", "vera", "--role", "viewer", "--password", "Viewer-Pass-123"
    )
    with httpx2.Client(base_url=server, timeout=10) as http:
        assert http.get("/ready").json()["status"] == "ready"
        token = http.post(
            "/api/v1/auth/token", json={"username": ADMIN, "password": ADMIN_PASSWORD}
        ).json()
        admin = {"Authorization": f"Bearer {token['access_token']}"}
        users = http.get("/api/v1/users", headers=admin)
        assert users.status_code == 200
        assert [u["username"] for u in users.json()] == [ADMIN, "vera"]
        assert users.headers["x-request-id"]

        viewer = http.post(
            "/api/v1/auth/token", json={"username": "vera", "password": "Viewer-Pass-123"}
        ).json()
        refused = http.post(
            "/api/v1/users",
            headers={"Authorization": f"Bearer {viewer['access_token']}"},
            json={"username": "eve", "roles": ["admin"]},
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert "hansa_http_requests_total" in http.get("/metrics").text
