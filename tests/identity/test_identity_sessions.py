"""Logging in, lockout, tokens, refresh and logout on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hansa import audit
from hansa.identity import (
    AccountLocked,
    AuthConfig,
    BadCredentials,
    BadToken,
    RefreshExpired,
    RefreshRevoked,
    SessionRevoked,
    TokenExpired,
    User,
    authenticate,
    disable_user,
    enable_user,
    get_user,
    login,
    logout,
    refresh,
)
from hansa.identity.tables import users
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Unauthenticated

from .conftest import PASSWORD, UowFactory

MakeUser = Callable[..., User]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def flip_signature(token: str) -> str:
    head, body, signature = token.split(".")
    middle = len(signature) // 2  # the last character may carry only padding bits
    swapped = "A" if signature[middle] != "A" else "B"
    return f"{head}.{body}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"


def failed_logins(uow_factory: UowFactory, username: str) -> int:
    with uow_factory(readonly=True) as uow:
        query = sa.select(users.c.failed_logins).where(users.c.username == username)
        return int(uow.conn.execute(query).scalar_one())


# -- login -----------------------------------------------------------------------------------


def test_login_returns_a_bearer_token_pair(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        pair = login(uow_factory(), cfg, "Anna", PASSWORD)
    assert (pair.token_type, pair.username, pair.expires_in) == ("bearer", "anna", 15 * 60)
    assert pair.access_expires_at == T0 + timedelta(minutes=15)
    assert pair.refresh_expires_at == T0 + timedelta(days=14)
    assert pair.access_token not in repr(pair)
    with clock.fixed(T0 + timedelta(minutes=1)):
        actor = authenticate(uow_factory(), cfg, pair.access_token)
    assert (actor.username, actor.roles, actor.via) == ("anna", frozenset({"sales"}), "token")
    assert actor.can("sales.order.write")


@pytest.mark.parametrize(
    ("username", "password"), [("ghost", PASSWORD), ("anna", "Wrong-Password-1"), ("bob", PASSWORD)]
)
def test_unknown_user_wrong_password_and_disabled_user_look_the_same(
    uow_factory: UowFactory,
    cfg: AuthConfig,
    admin: Actor,
    make_user: MakeUser,
    username: str,
    password: str,
) -> None:
    make_user("anna", "sales")
    make_user("bob", "sales")
    disable_user(uow_factory(), admin, "bob")
    with pytest.raises(BadCredentials) as caught:
        login(uow_factory(), cfg, username, password)
    assert caught.value.message == "invalid user name or password"
    assert caught.value.code == "identity.bad_credentials"
    record = audit.list_records(uow_factory(), admin, action="identity.login.failed")[0]
    assert record.actor == ("anonymous" if username == "ghost" else username)


def test_login_is_audited(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    login(uow_factory(), cfg, "anna", PASSWORD)
    record = audit.list_records(uow_factory(), admin, action="identity.login")[0]
    assert record.actor == "anna"
    assert PASSWORD not in (record.after or "")


# -- lockout ---------------------------------------------------------------------------------


def fail(uow_factory: UowFactory, cfg: AuthConfig, times: int) -> None:
    for _ in range(times):
        with pytest.raises(BadCredentials):
            login(uow_factory(), cfg, "anna", "Wrong-Password-1")


def test_five_wrong_passwords_lock_the_account(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        fail(uow_factory, cfg, 4)
        assert failed_logins(uow_factory, "anna") == 4
        fail(uow_factory, cfg, 1)
    assert failed_logins(uow_factory, "anna") == 5
    assert get_user(uow_factory(), admin, "anna").locked_until == T0 + timedelta(minutes=15)
    with clock.fixed(T0 + timedelta(minutes=14)), pytest.raises(AccountLocked) as caught:
        login(uow_factory(), cfg, "anna", PASSWORD)
    assert caught.value.code == "identity.account_locked"
    assert "2026-03-02 08:15:00 UTC" in caught.value.message
    assert [r.action for r in audit.list_records(uow_factory(), admin, user="anna")][:3] == [
        "identity.login.failed",
        "identity.account.locked",
        "identity.login.failed",
    ]


def test_lock_expires_after_the_lockout_minutes(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        fail(uow_factory, cfg, 5)
    with clock.fixed(T0 + timedelta(minutes=15)):
        assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"
    assert failed_logins(uow_factory, "anna") == 0


def test_after_a_lock_expires_another_full_round_of_attempts_is_allowed(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        fail(uow_factory, cfg, 5)
    with clock.fixed(T0 + timedelta(minutes=16)):
        fail(uow_factory, cfg, 4)
        assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"


def test_successful_login_resets_the_failure_count(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    fail(uow_factory, cfg, 4)
    login(uow_factory(), cfg, "anna", PASSWORD)
    assert failed_logins(uow_factory, "anna") == 0
    fail(uow_factory, cfg, 4)
    assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"


def test_enabling_a_locked_user_unlocks_it(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    fail(uow_factory, cfg, 5)
    assert enable_user(uow_factory(), admin, "anna").locked_until is None
    assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"


def test_login_rehashes_a_password_hashed_with_old_parameters(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    stronger = AuthConfig(jwt_secret=cfg.jwt_secret, argon2_time_cost=2, argon2_memory_kib=2048)
    login(uow_factory(), stronger, "anna", PASSWORD)
    with uow_factory(readonly=True) as uow:
        query = sa.select(users.c.password_hash).where(users.c.username == "anna")
        stored = str(uow.conn.execute(query).scalar_one())
    assert "m=2048,t=2" in stored
    assert login(uow_factory(), stronger, "anna", PASSWORD).username == "anna"


# -- access tokens -----------------------------------------------------------------------------


def test_tampered_token_is_refused(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    pair = login(uow_factory(), cfg, "anna", PASSWORD)
    with pytest.raises(BadToken) as caught:
        authenticate(uow_factory(), cfg, flip_signature(pair.access_token))
    assert caught.value.code == "identity.bad_token"


def test_expired_token_is_refused(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        pair = login(uow_factory(), cfg, "anna", PASSWORD)
    with clock.fixed(T0 + timedelta(minutes=15, seconds=1)), pytest.raises(TokenExpired) as caught:
        authenticate(uow_factory(), cfg, pair.access_token)
    assert caught.value.code == "identity.token_expired"
    assert isinstance(caught.value, Unauthenticated)


def test_token_signed_with_another_secret_is_refused(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    pair = login(uow_factory(), cfg, "anna", PASSWORD)
    other = AuthConfig(jwt_secret="x" * 40)
    with pytest.raises(BadToken):
        authenticate(uow_factory(), other, pair.access_token)


# -- logout and refresh ------------------------------------------------------------------------


def test_logout_ends_the_session_of_the_access_token(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    pair = login(uow_factory(), cfg, "anna", PASSWORD)
    logout(uow_factory(), cfg, pair.access_token)
    with pytest.raises(SessionRevoked) as caught:
        authenticate(uow_factory(), cfg, pair.access_token)
    assert caught.value.code == "identity.session_revoked"
    with pytest.raises(RefreshRevoked):
        refresh(uow_factory(), cfg, pair.refresh_token)
    logout(uow_factory(), cfg, pair.access_token)  # a second logout changes nothing
    logouts = audit.list_records(uow_factory(), admin, action="identity.logout")
    assert [r.actor for r in logouts] == ["anna"]


def test_logout_with_the_refresh_token_ends_the_session(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    pair = login(uow_factory(), cfg, "anna", PASSWORD)
    logout(uow_factory(), cfg, pair.refresh_token)
    with pytest.raises(SessionRevoked):
        authenticate(uow_factory(), cfg, pair.access_token)


def test_logout_of_one_session_keeps_the_others(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    laptop = login(uow_factory(), cfg, "anna", PASSWORD)
    phone = login(uow_factory(), cfg, "anna", PASSWORD)
    logout(uow_factory(), cfg, laptop.access_token)
    assert authenticate(uow_factory(), cfg, phone.access_token).username == "anna"


def test_refresh_rotates_the_refresh_token(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        first = login(uow_factory(), cfg, "anna", PASSWORD)
    with clock.fixed(T0 + timedelta(minutes=20)):
        second = refresh(uow_factory(), cfg, first.refresh_token)
        assert second.refresh_token != first.refresh_token
        assert second.refresh_expires_at == T0 + timedelta(minutes=20, days=14)
        assert authenticate(uow_factory(), cfg, second.access_token).username == "anna"
        with pytest.raises(RefreshRevoked) as caught:
            refresh(uow_factory(), cfg, first.refresh_token)
        assert caught.value.code == "identity.refresh_revoked"
        third = refresh(uow_factory(), cfg, second.refresh_token)
    assert third.username == "anna"


def test_refresh_after_the_session_expired_is_refused(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with clock.fixed(T0):
        pair = login(uow_factory(), cfg, "anna", PASSWORD)
    with clock.fixed(T0 + timedelta(days=14)), pytest.raises(RefreshExpired):
        refresh(uow_factory(), cfg, pair.refresh_token)


def test_unknown_refresh_token_is_refused(uow_factory: UowFactory, cfg: AuthConfig) -> None:
    with pytest.raises(RefreshRevoked):
        refresh(uow_factory(), cfg, "not-a-refresh-token")
