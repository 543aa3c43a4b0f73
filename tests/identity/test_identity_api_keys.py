"""API keys on SQLite and PostgreSQL: shown once, stored hashed, revocable, expiring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hansa import audit
from hansa.identity import (
    ApiKeyExpired,
    ApiKeyNotFound,
    ApiKeyRevoked,
    AuthConfig,
    BadToken,
    User,
    actor_for_user,
    authenticate,
    create_api_key,
    list_api_keys,
    logout,
    revoke_api_key,
    update_user,
)
from hansa.identity.tables import api_keys
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import PermissionDenied

from .conftest import UowFactory

MakeUser = Callable[..., User]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def anna(uow_factory: UowFactory, make_user: MakeUser) -> Actor:
    make_user("anna", "sales")
    return actor_for_user(uow_factory(), "anna")


def test_api_key_authenticates_as_its_user(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, anna: Actor
) -> None:
    key, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    assert plaintext.startswith(f"hk_{key.prefix}_")
    assert (key.username, key.name, key.revoked_at) == ("anna", "shop sync", None)
    actor = authenticate(uow_factory(), cfg, plaintext)
    assert (actor.username, actor.via, actor.roles) == ("anna", "apikey", frozenset({"sales"}))
    record = audit.list_records(uow_factory(), admin, action="identity.apikey.create")[0]
    assert (record.actor, record.entity_id) == ("anna", str(key.id))
    assert plaintext not in (record.after or "")


def test_only_the_digest_of_the_key_is_stored(uow_factory: UowFactory, anna: Actor) -> None:
    _, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    with uow_factory(readonly=True) as uow:
        stored = uow.conn.execute(sa.select(api_keys)).one()._asdict()
    assert plaintext not in {str(v) for v in stored.values()}
    secret = plaintext.split("_", 2)[2]  # hk_<prefix>_<secret>; the secret may contain "_"
    assert secret not in str(stored)


def test_wrong_secret_with_a_real_prefix_is_refused(
    uow_factory: UowFactory, cfg: AuthConfig, anna: Actor
) -> None:
    key, _ = create_api_key(uow_factory(), anna, "shop sync")
    with pytest.raises(BadToken) as caught:
        authenticate(uow_factory(), cfg, f"hk_{key.prefix}_{'x' * 43}")
    assert caught.value.code == "identity.bad_token"
    with pytest.raises(BadToken):
        authenticate(uow_factory(), cfg, "hk_garbage")


def test_revoked_key_is_refused(uow_factory: UowFactory, cfg: AuthConfig, anna: Actor) -> None:
    key, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    revoked = revoke_api_key(uow_factory(), anna, key.id)
    assert revoked.revoked_at is not None
    with pytest.raises(ApiKeyRevoked) as caught:
        authenticate(uow_factory(), cfg, plaintext)
    assert caught.value.code == "identity.api_key_revoked"
    assert revoke_api_key(uow_factory(), anna, key.id) == revoked


def test_key_expires_after_its_days(uow_factory: UowFactory, cfg: AuthConfig, anna: Actor) -> None:
    with clock.fixed(T0):
        key, plaintext = create_api_key(uow_factory(), anna, "trial", expires_days=30)
    assert key.expires_at == T0 + timedelta(days=30)
    with clock.fixed(T0 + timedelta(days=29)):
        authenticate(uow_factory(), cfg, plaintext)
    with clock.fixed(T0 + timedelta(days=30)), pytest.raises(ApiKeyExpired):
        authenticate(uow_factory(), cfg, plaintext)


def test_last_use_is_recorded_at_most_once_a_minute(
    uow_factory: UowFactory, cfg: AuthConfig, anna: Actor
) -> None:
    _, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    with clock.fixed(T0):
        authenticate(uow_factory(), cfg, plaintext)
    with clock.fixed(T0 + timedelta(seconds=30)):
        authenticate(uow_factory(), cfg, plaintext)
    assert list_api_keys(uow_factory(), anna)[0].last_used_at == T0
    with clock.fixed(T0 + timedelta(minutes=2)):
        authenticate(uow_factory(), cfg, plaintext)
    assert list_api_keys(uow_factory(), anna)[0].last_used_at == T0 + timedelta(minutes=2)


def test_key_permissions_follow_the_users_roles(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, anna: Actor
) -> None:
    _, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    update_user(uow_factory(), admin, "anna", roles=["viewer"])
    assert not authenticate(uow_factory(), cfg, plaintext).can("sales.order.write")


def test_users_see_their_own_keys_and_admins_see_all(
    uow_factory: UowFactory, admin: Actor, anna: Actor
) -> None:
    create_api_key(uow_factory(), anna, "mine")
    create_api_key(uow_factory(), admin, "ops")
    assert [k.name for k in list_api_keys(uow_factory(), anna)] == ["mine"]
    assert [k.name for k in list_api_keys(uow_factory(), admin)] == ["mine", "ops"]
    assert [k.name for k in list_api_keys(uow_factory(), admin, "anna")] == ["mine"]
    with pytest.raises(PermissionDenied):
        list_api_keys(uow_factory(), anna, "root")


def test_keys_for_other_users_need_an_administrator(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, anna: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        create_api_key(uow_factory(), anna, "sneaky", username="root")
    key, plaintext = create_api_key(uow_factory(), admin, "for anna", username="anna")
    assert key.username == "anna"
    assert authenticate(uow_factory(), cfg, plaintext).username == "anna"


def test_users_cannot_revoke_other_users_keys(
    uow_factory: UowFactory, admin: Actor, anna: Actor
) -> None:
    key, _ = create_api_key(uow_factory(), admin, "ops")
    with pytest.raises(PermissionDenied):
        revoke_api_key(uow_factory(), anna, key.id)
    assert revoke_api_key(uow_factory(), admin, key.id).revoked_at is not None
    assert "identity.apikey.revoke" in [
        r.action for r in audit.list_records(uow_factory(), admin, user="root")
    ]


def test_viewer_cannot_create_keys(uow_factory: UowFactory, make_user: MakeUser) -> None:
    make_user("vera", "viewer")
    vera = actor_for_user(uow_factory(), "vera")
    with pytest.raises(PermissionDenied):
        create_api_key(uow_factory(), vera, "reports")


def test_revoking_a_missing_key_is_not_found(uow_factory: UowFactory, admin: Actor) -> None:
    with pytest.raises(ApiKeyNotFound):
        revoke_api_key(uow_factory(), admin, 999)


def test_an_api_key_cannot_be_logged_out(
    uow_factory: UowFactory, cfg: AuthConfig, anna: Actor
) -> None:
    _, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    with pytest.raises(BadToken, match="revoke the key"):
        logout(uow_factory(), cfg, plaintext)


def test_key_use_is_recorded_through_a_read_only_unit_of_work(
    uow_factory: UowFactory, cfg: AuthConfig, anna: Actor
) -> None:
    _, plaintext = create_api_key(uow_factory(), anna, "shop sync")
    with clock.fixed(T0):
        assert authenticate(uow_factory(readonly=True), cfg, plaintext).username == "anna"
    assert list_api_keys(uow_factory(), anna)[0].last_used_at == T0
