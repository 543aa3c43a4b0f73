"""Fixtures for the identity tests: a cheap-hashing configuration and a first admin."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hansa.db.uow import UnitOfWork
from hansa.identity import AuthConfig, User, actor_for_user, add_user, create_first_admin
from hansa.kernel.actor import Actor

ADMIN_PASSWORD = "Correct-Horse-1"
PASSWORD = "Blue-Lagoon-42"

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def cfg() -> AuthConfig:
    return AuthConfig(jwt_secret="test-secret" * 4, argon2_time_cost=1, argon2_memory_kib=1024)


@pytest.fixture
def admin(uow_factory: UowFactory, cfg: AuthConfig) -> Actor:
    """The first administrator, 'root', as an actor."""
    create_first_admin(uow_factory(), "root", ADMIN_PASSWORD, "root@example.com", cfg)
    return actor_for_user(uow_factory(), "root")


@pytest.fixture
def make_user(uow_factory: UowFactory, cfg: AuthConfig, admin: Actor) -> Callable[..., User]:
    """Add a user with the given roles (and the shared test password)."""

    def make(username: str, *roles: str, password: str | None = PASSWORD) -> User:
        return add_user(
            uow_factory(), cfg, admin, username=username, roles=list(roles), password=password
        )

    return make
