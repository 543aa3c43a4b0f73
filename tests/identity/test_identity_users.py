"""User management on SQLite and PostgreSQL: who may do what, what is kept, what is audited."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from hansa import audit, events
from hansa.identity import (
    AlreadyInitialised,
    AuthConfig,
    CannotDisableSelf,
    LastAdmin,
    SessionRevoked,
    UnknownRole,
    User,
    UserExists,
    UserNotFound,
    WeakPassword,
    actor_for_user,
    add_user,
    authenticate,
    change_password,
    create_api_key,
    create_first_admin,
    disable_user,
    enable_user,
    get_user,
    list_users,
    login,
    update_user,
)
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Conflict, PermissionDenied, Unauthenticated

from .conftest import ADMIN_PASSWORD, PASSWORD, UowFactory

MakeUser = Callable[..., User]


def actions(uow_factory: UowFactory, admin: Actor, entity_id: str) -> list[str]:
    records = audit.list_records(uow_factory(), admin, limit=1000)
    return [r.action for r in reversed(records) if r.entity_id == entity_id]


# -- the first administrator ---------------------------------------------------------------


def test_first_admin_is_created_with_the_admin_role(
    uow_factory: UowFactory, cfg: AuthConfig
) -> None:
    user = create_first_admin(uow_factory(), "Root", ADMIN_PASSWORD, None, cfg)
    assert (user.username, user.roles, user.active) == ("root", ("admin",), True)
    assert not hasattr(user, "password_hash")
    root = actor_for_user(uow_factory(), "root")
    record = audit.list_records(uow_factory(), root)[0]
    assert (record.actor, record.action, record.entity_id) == (
        "root",
        "identity.user.create",
        "root",
    )
    assert ADMIN_PASSWORD not in (record.after or "")
    assert "argon2" not in (record.after or "")


def test_first_admin_cannot_be_created_twice(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor
) -> None:
    with pytest.raises(AlreadyInitialised) as caught:
        create_first_admin(uow_factory(), "other", ADMIN_PASSWORD, None, cfg)
    assert caught.value.code == "identity.already_initialised"


def test_first_admin_needs_a_strong_password(uow_factory: UowFactory, cfg: AuthConfig) -> None:
    with pytest.raises(WeakPassword):
        create_first_admin(uow_factory(), "root", "password", None, cfg)


# -- adding and reading users --------------------------------------------------------------


def test_admin_adds_a_user_who_can_then_log_in(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor
) -> None:
    user = add_user(
        uow_factory(),
        cfg,
        admin,
        username="Anna",
        roles=["sales", "viewer"],
        email="anna@example.com",
        password=PASSWORD,
    )
    assert (user.username, user.roles, user.email) == (
        "anna",
        ("sales", "viewer"),
        "anna@example.com",
    )
    assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"
    stored = get_user(uow_factory(), admin, "ANNA")
    assert (stored.id, stored.roles) == (user.id, user.roles)
    assert stored.last_login_at is not None
    assert [u.username for u in list_users(uow_factory(), admin)] == ["anna", "root"]
    assert actions(uow_factory, admin, "anna")[0] == "identity.user.create"


def test_adding_a_user_publishes_an_event(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    rows = events.list_events(uow_factory(), admin)
    created = [r.event for r in rows if r.event.topic == "identity.user_created"]
    assert {e.payload["username"] for e in created} == {"root", "anna"}
    assert all("password" not in json.dumps(dict(e.payload)) for e in created)


def test_user_without_password_cannot_log_in(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("bot", "viewer", password=None)
    with pytest.raises(Unauthenticated, match="invalid user name or password"):
        login(uow_factory(), cfg, "bot", "")


def test_duplicate_user_is_a_conflict(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    with pytest.raises(UserExists) as caught:
        make_user("Anna", "viewer")
    assert caught.value.code == "identity.user_exists"
    assert isinstance(caught.value, Conflict)


def test_unknown_role_is_refused(uow_factory: UowFactory, cfg: AuthConfig, admin: Actor) -> None:
    with pytest.raises(UnknownRole) as caught:
        add_user(uow_factory(), cfg, admin, username="anna", roles=["boss"])
    assert caught.value.code == "identity.unknown_role"


def test_viewer_may_not_add_users(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("vera", "viewer")
    vera = actor_for_user(uow_factory(), "vera")
    with pytest.raises(PermissionDenied, match=r"vera \(viewer\) may not identity\.user\.create"):
        add_user(uow_factory(), cfg, vera, username="mallory", roles=["admin"])
    assert [u.username for u in list_users(uow_factory(), vera)] == ["root", "vera"]


def test_missing_user_is_named_in_the_error(uow_factory: UowFactory, admin: Actor) -> None:
    with pytest.raises(UserNotFound, match="ghost") as caught:
        get_user(uow_factory(), admin, "ghost")
    assert caught.value.code == "identity.user_not_found"


def test_users_may_look_themselves_up_but_not_others(
    uow_factory: UowFactory, make_user: MakeUser
) -> None:
    make_user("sam", "sales")
    sam = actor_for_user(uow_factory(), "sam")
    assert get_user(uow_factory(), sam, "sam").roles == ("sales",)
    with pytest.raises(PermissionDenied):
        get_user(uow_factory(), sam, "root")


# -- updating --------------------------------------------------------------------------------


def test_update_changes_email_and_roles_and_audits_before_and_after(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    anna = make_user("anna", "sales")
    updated = update_user(
        uow_factory(),
        admin,
        "anna",
        email="a@example.com",
        roles=["accountant"],
        expected_version=anna.version,
    )
    assert (updated.email, updated.roles, updated.version) == (
        "a@example.com",
        ("accountant",),
        anna.version + 1,
    )
    record = audit.list_records(uow_factory(), admin, action="identity.user.update")[0]
    assert json.loads(record.before or "")["roles"] == ["sales"]
    assert json.loads(record.after or "")["roles"] == ["accountant"]


def test_update_with_a_stale_version_is_a_conflict(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    anna = make_user("anna", "sales")
    update_user(uow_factory(), admin, "anna", roles=["viewer"], expected_version=anna.version)
    with pytest.raises(Conflict) as caught:
        update_user(
            uow_factory(), admin, "anna", email="x@example.com", expected_version=anna.version
        )
    assert caught.value.code == "db.stale_version"
    assert get_user(uow_factory(), admin, "anna").email is None


def test_update_that_changes_nothing_keeps_the_version(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    anna = make_user("anna", "sales")
    assert update_user(uow_factory(), admin, "anna", roles=["sales"]) == anna
    assert actions(uow_factory, admin, "anna") == ["identity.user.create"]


def test_role_change_applies_to_live_tokens_at_once(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    tokens = login(uow_factory(), cfg, "anna", PASSWORD)
    assert not authenticate(uow_factory(), cfg, tokens.access_token).can("ledger.entry.post")
    update_user(uow_factory(), admin, "anna", roles=["accountant"])
    actor = authenticate(uow_factory(), cfg, tokens.access_token)
    assert actor.roles == frozenset({"accountant"})
    assert actor.can("ledger.entry.post")


def test_last_admin_cannot_lose_the_admin_role(uow_factory: UowFactory, admin: Actor) -> None:
    with pytest.raises(LastAdmin) as caught:
        update_user(uow_factory(), admin, "root", roles=["viewer"])
    assert caught.value.code == "identity.last_admin"
    assert get_user(uow_factory(), admin, "root").roles == ("admin",)


def test_an_admin_may_step_down_when_another_remains(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    make_user("ada", "admin")
    assert update_user(uow_factory(), admin, "root", roles=["viewer"]).roles == ("viewer",)


# -- disabling and enabling ------------------------------------------------------------------


def test_disabling_ends_sessions_and_api_keys(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    tokens = login(uow_factory(), cfg, "anna", PASSWORD)
    _, key = create_api_key(uow_factory(), actor_for_user(uow_factory(), "anna"), "script")
    assert not disable_user(uow_factory(), admin, "anna").active
    with pytest.raises(SessionRevoked):
        authenticate(uow_factory(), cfg, tokens.access_token)
    with pytest.raises(Unauthenticated) as caught:
        authenticate(uow_factory(), cfg, key)
    assert caught.value.code == "identity.api_key_revoked"
    with pytest.raises(Unauthenticated, match="invalid user name or password"):
        login(uow_factory(), cfg, "anna", PASSWORD)
    assert actions(uow_factory, admin, "anna")[-2:] == [
        "identity.user.disable",
        "identity.login.failed",
    ]


def test_enabling_lets_the_user_log_in_again(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    disable_user(uow_factory(), admin, "anna")
    assert enable_user(uow_factory(), admin, "anna").active
    assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"
    assert "identity.user.enable" in actions(uow_factory, admin, "anna")


def test_nobody_disables_themselves(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    make_user("ada", "admin")
    with pytest.raises(CannotDisableSelf) as caught:
        disable_user(uow_factory(), admin, "root")
    assert caught.value.code == "identity.cannot_disable_self"


def test_last_active_admin_cannot_be_disabled(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("ops", "admin")
    ops = actor_for_user(uow_factory(), "ops")
    disable_user(uow_factory(), ops, "root")
    # A system job (not a user) is the only one left who could disable the last admin.
    system = Actor("system", permissions=frozenset({"*"}), via="system")
    with pytest.raises(LastAdmin):
        disable_user(uow_factory(), system, "ops")


def test_disabling_twice_changes_nothing(
    uow_factory: UowFactory, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    first = disable_user(uow_factory(), admin, "anna")
    assert disable_user(uow_factory(), admin, "anna") == first
    assert actions(uow_factory, admin, "anna").count("identity.user.disable") == 1


# -- passwords -------------------------------------------------------------------------------


def test_users_change_their_own_password_and_their_other_sessions_end(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    other = login(uow_factory(), cfg, "anna", PASSWORD)
    tokens = login(uow_factory(), cfg, "anna", PASSWORD)
    anna = authenticate(uow_factory(), cfg, tokens.access_token)
    change_password(uow_factory(), cfg, anna, "anna", "Green-Valley-77", PASSWORD)
    assert authenticate(uow_factory(), cfg, tokens.access_token).username == "anna"
    with pytest.raises(SessionRevoked):
        authenticate(uow_factory(), cfg, other.access_token)
    with pytest.raises(Unauthenticated):
        login(uow_factory(), cfg, "anna", PASSWORD)
    assert login(uow_factory(), cfg, "anna", "Green-Valley-77").username == "anna"
    record = audit.list_records(uow_factory(), admin, action="identity.user.password")[0]
    assert record.actor == "anna"
    assert "Green-Valley-77" not in (record.after or "")


def test_changing_someone_elses_password_needs_user_update(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    make_user("sam", "sales")
    sam = actor_for_user(uow_factory(), "sam")
    with pytest.raises(PermissionDenied):
        change_password(uow_factory(), cfg, sam, "anna", "Green-Valley-77")
    change_password(uow_factory(), cfg, admin, "anna", "Green-Valley-77")
    assert login(uow_factory(), cfg, "anna", "Green-Valley-77").username == "anna"


def test_changing_your_own_password_needs_the_current_one(
    uow_factory: UowFactory, cfg: AuthConfig, make_user: MakeUser
) -> None:
    make_user("anna", "sales")
    tokens = login(uow_factory(), cfg, "anna", PASSWORD)
    anna = authenticate(uow_factory(), cfg, tokens.access_token)
    for current in (None, "Not-The-Password-1"):
        with pytest.raises(Unauthenticated, match="current password") as refused:
            change_password(uow_factory(), cfg, anna, "anna", "Green-Valley-77", current)
        assert refused.value.code == "identity.wrong_current_password"
    assert login(uow_factory(), cfg, "anna", PASSWORD).username == "anna"


def test_weak_new_password_is_refused_with_what_is_missing(
    uow_factory: UowFactory, cfg: AuthConfig, admin: Actor
) -> None:
    with pytest.raises(WeakPassword, match="at least 10 characters"):
        change_password(uow_factory(), cfg, admin, "root", "Short-1")
