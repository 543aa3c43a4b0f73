"""The REST API: health, tokens, permissions and problem+json errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from hansa import identity
from hansa.kernel import clock
from tests.api.conftest import ADMIN, PASSWORD, Headers, token_for

PROBLEM = "application/problem+json"


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_metrics_are_prometheus_text(client: TestClient) -> None:
    client.get("/health")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "hansa_http_requests_total" in response.text


def test_docs_are_served(client: TestClient) -> None:
    assert client.get("/api/docs").status_code == 200
    assert "/api/v1/users" in client.get("/api/openapi.json").json()["paths"]


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    generated = client.get("/health").headers["x-request-id"]
    assert len(generated) == 32
    echoed = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_users_need_authentication(client: TestClient) -> None:
    response = client.get("/api/v1/users")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "identity.no_credentials"


def test_admin_lists_and_adds_users(client: TestClient, auth: Headers) -> None:
    headers = auth(ADMIN, PASSWORD)
    created = client.post(
        "/api/v1/users", headers=headers, json={"username": "bob", "roles": ["accountant"]}
    )
    assert created.status_code == 201, created.text
    names = [u["username"] for u in client.get("/api/v1/users", headers=headers).json()]
    assert names == ["admin", "bob"]


def test_viewer_gets_403_on_a_change(client: TestClient, auth: Headers) -> None:
    client.post(
        "/api/v1/users",
        headers=auth(ADMIN, PASSWORD),
        json={"username": "vera", "roles": ["viewer"], "password": "Viewer-Pass-123"},
    )
    viewer = auth("vera", "Viewer-Pass-123")
    assert client.get("/api/v1/users", headers=viewer).status_code == 200
    response = client.post(
        "/api/v1/users", headers=viewer, json={"username": "eve", "roles": ["admin"]}
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "identity.permission_denied"
    assert body["status"] == 403
    assert body["request_id"]


def test_tampered_token_gets_401(client: TestClient) -> None:
    token = token_for(client, ADMIN, PASSWORD)["access_token"]
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    response = client.get("/api/v1/users", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["code"] == "identity.bad_token"


def test_expired_token_gets_401(client: TestClient) -> None:
    rt = client.app.state.runtime  # type: ignore[attr-defined]
    with clock.fixed(datetime.now(UTC) - timedelta(hours=2)):
        token = identity.login(rt.uow(), rt.auth, ADMIN, PASSWORD).access_token
    response = client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "identity.token_expired"


def test_refresh_rotates_and_a_used_refresh_token_is_refused(client: TestClient) -> None:
    first = token_for(client, ADMIN, PASSWORD)
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401


def test_logout_revokes_access_and_refresh(client: TestClient) -> None:
    tokens = token_for(client, ADMIN, PASSWORD)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    out = client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert out.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401


def test_api_key_authenticates_until_revoked(client: TestClient, auth: Headers) -> None:
    headers = auth(ADMIN, PASSWORD)
    created = client.post("/api/v1/apikeys", headers=headers, json={"name": "ci"})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).json()["via"] == "apikey"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    revoked = client.delete(f"/api/v1/apikeys/{created.json()['id']}", headers=headers)
    assert revoked.status_code == 200
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 401


def test_five_wrong_passwords_lock_the_account(client: TestClient) -> None:
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/token", json={"username": ADMIN, "password": "wrong-password"}
        )
        assert response.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": ADMIN, "password": PASSWORD})
    assert locked.status_code == 401
    assert locked.json()["code"] == "identity.account_locked"


def test_unknown_route_and_bad_body_are_problems(client: TestClient, auth: Headers) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    bad = client.post("/api/v1/users", headers=auth(ADMIN, PASSWORD), json={"roles": []})
    assert bad.status_code == 400
    assert bad.json()["code"] == "hansa.invalid_input"


def test_unknown_user_is_a_404_problem(client: TestClient, auth: Headers) -> None:
    response = client.get("/api/v1/users/ghost", headers=auth(ADMIN, PASSWORD))
    assert response.status_code == 404
    assert response.json()["code"] == "identity.user_not_found"


def test_audit_and_checks_over_http(client: TestClient, auth: Headers) -> None:
    headers = auth(ADMIN, PASSWORD)
    client.post("/api/v1/users", headers=headers, json={"username": "bob", "roles": ["sales"]})
    actions = {r["action"] for r in client.get("/api/v1/audit", headers=headers).json()}
    assert "identity.user.create" in actions
    assert client.get("/api/v1/audit/verify", headers=headers).json()["ok"] is True
    checks = client.get("/api/v1/checks", headers=headers).json()
    assert all(c["ok"] for c in checks), checks


def test_out_of_range_input_is_a_400_not_a_500(client: TestClient, auth: Headers) -> None:
    headers = auth(ADMIN, PASSWORD)
    huge = client.delete("/api/v1/apikeys/99999999999999999999", headers=headers)
    assert huge.status_code == 400
    far = client.get("/api/v1/audit", params={"until": "9999-12-31"}, headers=headers)
    assert far.status_code == 200


def test_a_missing_schema_is_503_with_the_fix(tmp_path: object, home: object) -> None:
    from hansa.api.app import create_app
    from hansa.secretfiles import ensure_secrets
    from hansa.settings import load_settings

    settings = load_settings(database_url=f"sqlite:///{tmp_path}/empty.db")
    ensure_secrets(settings)
    with TestClient(create_app(settings)) as bare:
        response = bare.get("/ready")
    assert response.status_code == 503
    assert response.json()["code"] == "db.not_initialised"
    assert response.headers["x-request-id"]
