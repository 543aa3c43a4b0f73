"""The API in process (httpx through ASGI) against a real database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hansa import identity
from hansa.api.app import create_app
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.secretfiles import ensure_secrets
from hansa.settings import load_settings

ADMIN, PASSWORD = "admin", "Correct-Horse-42"


@pytest.fixture
def client(home: Path, db_url: str) -> Iterator[TestClient]:
    settings = load_settings(database_url=db_url)
    ensure_secrets(settings)
    app = create_app(settings)
    rt = app.state.runtime
    identity.create_first_admin(UnitOfWork(create_engine(db_url)), ADMIN, PASSWORD, None, rt.auth)
    with TestClient(app) as test_client:
        yield test_client


def token_for(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


Headers = Callable[[str, str], dict[str, str]]


@pytest.fixture
def auth(client: TestClient) -> Headers:
    def headers(username: str = ADMIN, password: str = PASSWORD) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(client, username, password)['access_token']}"}

    return headers
