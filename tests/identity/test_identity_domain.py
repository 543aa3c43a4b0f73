"""Unit tests of the pure identity rules: names, passwords, roles, lockout decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hansa.identity import (
    PERMISSIONS,
    ROLES,
    AuthConfig,
    BadEmail,
    BadJwtSecret,
    BadUsername,
    UnknownRole,
    WeakPassword,
    effective_permissions,
    list_roles,
)
from hansa.identity.domain import (
    Credentials,
    check_password,
    decide_login,
    password_problems,
    validate_email,
    validate_roles,
    validate_username,
)
from hansa.kernel.actor import Actor
from hansa.settings import Settings

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LOCKOUT = timedelta(minutes=15)


# -- user names and e-mail -----------------------------------------------------------------


def test_username_is_lowercased_and_trimmed() -> None:
    assert validate_username("  Anna.Berg ") == "anna.berg"


@pytest.mark.parametrize(
    "raw", ["a", "1anna", "anna berg", "anna@example", "_anna", "x" * 65, "", "änna"]
)
def test_malformed_username_is_refused(raw: str) -> None:
    with pytest.raises(BadUsername) as caught:
        validate_username(raw)
    assert caught.value.code == "identity.bad_username"


@pytest.mark.parametrize("raw", ["system", "Anonymous"])
def test_reserved_username_is_refused(raw: str) -> None:
    with pytest.raises(BadUsername, match="reserved"):
        validate_username(raw)


def test_email_is_checked_loosely() -> None:
    assert validate_email(" anna@example.com ") == "anna@example.com"
    assert validate_email("") is None
    assert validate_email(None) is None


@pytest.mark.parametrize(
    "raw", ["anna", "anna@", "@example.com", "anna@example", "a@b@c.de", "an na@x.de", "a@.de"]
)
def test_malformed_email_is_refused(raw: str) -> None:
    with pytest.raises(BadEmail) as caught:
        validate_email(raw)
    assert caught.value.code == "identity.bad_email"


# -- passwords -----------------------------------------------------------------------------


def test_good_password_passes_the_policy() -> None:
    assert password_problems("Blue-Lagoon-42", "anna", 10) == []
    check_password("blue lagoon 42", "anna", 10)


def test_short_password_is_refused_with_the_minimum_in_the_message() -> None:
    with pytest.raises(WeakPassword) as caught:
        check_password("Ab1-x", "anna", 10)
    assert caught.value.code == "identity.weak_password"
    assert "at least 10 characters" in caught.value.message


def test_password_containing_the_username_is_refused() -> None:
    with pytest.raises(WeakPassword, match="not to contain the user name"):
        check_password("My-ANNA-password-1", "anna", 10)


@pytest.mark.parametrize(
    "password", ["abcdefghijkl", "ABCDEFGHIJKL", "123456789012", "!!!!!!!!!!!!"]
)
def test_password_of_one_character_class_is_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match="at least two kinds"):
        check_password(password, "anna", 10)


def test_every_missing_requirement_is_named() -> None:
    problems = password_problems("anna", "anna", 10)
    assert len(problems) == 3


# -- roles and permissions -----------------------------------------------------------------


def test_permission_catalogue_covers_the_identity_and_system_permissions() -> None:
    for permission in [
        "identity.user.create",
        "identity.user.read",
        "identity.user.update",
        "identity.user.disable",
        "identity.role.read",
        "identity.apikey.create",
        "identity.apikey.read",
        "identity.apikey.revoke",
        "audit.log.read",
        "events.outbox.read",
        "events.outbox.dispatch",
        "system.check.run",
        "system.config.write",
    ]:
        assert permission in PERMISSIONS
    for domain in [
        "ledger",
        "parties",
        "inventory",
        "sales",
        "purchasing",
        "manufacturing",
        "hr",
        "projects",
        "reports",
    ]:
        assert any(p.startswith(f"{domain}.") and p.endswith(".read") for p in PERMISSIONS)


def test_permission_strings_have_three_parts() -> None:
    assert all(len(p.split(".")) == 3 for p in PERMISSIONS)


def test_builtin_roles_are_listed() -> None:
    assert [r.name for r in list_roles()] == [
        "admin",
        "accountant",
        "sales",
        "purchasing",
        "warehouse",
        "hr",
        "viewer",
    ]


def test_admin_may_do_anything() -> None:
    actor = Actor("root", permissions=effective_permissions(["admin"]))
    assert actor.can("identity.user.create")
    assert actor.can("ledger.entry.post")


def test_viewer_may_read_everything_and_change_nothing() -> None:
    viewer = Actor("vera", permissions=effective_permissions(["viewer"]))
    for permission in PERMISSIONS:
        assert viewer.can(permission) == permission.endswith(".read"), permission


def test_accountant_posts_entries_but_manages_no_users() -> None:
    accountant = Actor("acc", permissions=effective_permissions(["accountant"]))
    assert accountant.can("ledger.entry.post")
    assert accountant.can("parties.customer.read")
    assert accountant.can("audit.log.read")
    assert not accountant.can("parties.customer.write")
    assert not accountant.can("identity.user.create")


def test_permissions_of_several_roles_add_up_and_unknown_roles_grant_nothing() -> None:
    granted = effective_permissions(["sales", "warehouse", "no-such-role"])
    actor = Actor("x", permissions=granted)
    assert actor.can("sales.order.write")
    assert actor.can("inventory.move.write")
    assert not actor.can("ledger.entry.post")
    assert effective_permissions(["no-such-role"]) == frozenset()


def test_every_role_pattern_matches_some_catalogued_permission() -> None:
    for role in ROLES.values():
        for pattern in role.permissions:
            assert any(role.covers(p) for p in PERMISSIONS), (role.name, pattern)


def test_roles_are_normalised_and_unknown_roles_refused() -> None:
    assert validate_roles(["Sales", "viewer", "sales"]) == ("sales", "viewer")
    with pytest.raises(UnknownRole, match="unknown role boss"):
        validate_roles(["boss"])


# -- lockout decisions ---------------------------------------------------------------------


def creds(
    failed: int = 0, locked_until: datetime | None = None, active: bool = True
) -> Credentials:
    return Credentials(1, "anna", "hash", active, failed, locked_until)


def test_wrong_password_counts_a_failure() -> None:
    decision = decide_login(creds(failed=2), False, 5, LOCKOUT, AT)
    assert (decision.outcome, decision.failed_logins, decision.locked_until) == (
        "bad_password",
        3,
        None,
    )


def test_threshold_failure_locks_the_account() -> None:
    decision = decide_login(creds(failed=4), False, 5, LOCKOUT, AT)
    assert decision.just_locked
    assert decision.locked_until == AT + LOCKOUT
    assert decision.failed_logins == 5


def test_locked_account_refuses_the_right_password_without_counting() -> None:
    decision = decide_login(creds(failed=5, locked_until=AT + LOCKOUT), True, 5, LOCKOUT, AT)
    assert (decision.outcome, decision.failed_logins) == ("locked", 5)


def test_after_the_lock_expires_the_count_starts_again() -> None:
    expired = creds(failed=5, locked_until=AT - timedelta(seconds=1))
    assert decide_login(expired, False, 5, LOCKOUT, AT).failed_logins == 1
    assert decide_login(expired, True, 5, LOCKOUT, AT).outcome == "ok"


def test_success_resets_the_count() -> None:
    decision = decide_login(creds(failed=3), True, 5, LOCKOUT, AT)
    assert (decision.outcome, decision.failed_logins, decision.locked_until) == ("ok", 0, None)


def test_disabled_user_with_the_right_password_is_refused() -> None:
    assert decide_login(creds(active=False), True, 5, LOCKOUT, AT).outcome == "disabled"


# -- configuration -------------------------------------------------------------------------


def test_short_jwt_secret_is_refused() -> None:
    with pytest.raises(BadJwtSecret, match="at least 32 bytes"):
        AuthConfig(jwt_secret="short")


def test_config_comes_from_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANSA_CONFIG", str(tmp_path / "none.toml"))
    settings = Settings(auth_lockout_threshold=3, auth_access_token_minutes=5)
    cfg = AuthConfig.from_settings(settings, "s" * 40)
    assert (cfg.lockout_threshold, cfg.access_token_minutes) == (3, 5)
    assert cfg.refresh_token_days == settings.auth_refresh_token_days
    assert "s" * 40 not in repr(cfg)
