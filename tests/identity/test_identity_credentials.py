"""Unit tests of password hashing and of the token formats (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hansa.identity import AuthConfig, BadToken, TokenExpired, passwords, tokens

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def cfg() -> AuthConfig:
    return AuthConfig(jwt_secret="test-secret" * 4, argon2_time_cost=1, argon2_memory_kib=1024)


def test_password_hash_is_argon2id_and_verifies(cfg: AuthConfig) -> None:
    stored = passwords.hash_password(cfg, "Blue-Lagoon-42")
    assert stored.startswith("$argon2id$")
    assert "Blue-Lagoon-42" not in stored
    assert passwords.verify_password(cfg, stored, "Blue-Lagoon-42")
    assert not passwords.verify_password(cfg, stored, "blue-lagoon-42")


def test_missing_or_garbled_hash_never_verifies(cfg: AuthConfig) -> None:
    assert not passwords.verify_password(cfg, None, "anything")
    assert not passwords.verify_password(cfg, "not-a-hash", "anything")


def test_hash_needs_rehash_when_the_parameters_change(cfg: AuthConfig) -> None:
    stored = passwords.hash_password(cfg, "Blue-Lagoon-42")
    assert not passwords.needs_rehash(cfg, stored)
    stronger = AuthConfig(jwt_secret=cfg.jwt_secret, argon2_time_cost=2, argon2_memory_kib=2048)
    assert passwords.needs_rehash(stronger, stored)
    assert passwords.verify_password(stronger, stored, "Blue-Lagoon-42")


def issue(cfg: AuthConfig, at: datetime = AT) -> str:
    token, _ = tokens.issue_access_token(
        cfg, user_id=7, username="anna", roles=("sales",), session_id="s1", at=at
    )
    return token


def test_access_token_round_trips(cfg: AuthConfig) -> None:
    claims = tokens.read_access_token(cfg, issue(cfg), AT + timedelta(minutes=1))
    assert (claims.username, claims.user_id, claims.session_id) == ("anna", 7, "s1")
    assert claims.expires_at == AT + timedelta(minutes=15)


def test_access_token_expires_by_the_hansa_clock(cfg: AuthConfig) -> None:
    token = issue(cfg)
    with pytest.raises(TokenExpired) as caught:
        tokens.read_access_token(cfg, token, AT + timedelta(minutes=15))
    assert caught.value.code == "identity.token_expired"
    assert tokens.read_access_token(cfg, token, AT + timedelta(days=1), allow_expired=True)


def test_token_signed_with_another_secret_is_refused(cfg: AuthConfig) -> None:
    other = AuthConfig(jwt_secret="another-secret" * 4)
    with pytest.raises(BadToken) as caught:
        tokens.read_access_token(other, issue(cfg), AT)
    assert caught.value.code == "identity.bad_token"


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "hk_abc_def"])
def test_malformed_token_is_refused(cfg: AuthConfig, garbage: str) -> None:
    with pytest.raises(BadToken):
        tokens.read_access_token(cfg, garbage, AT)


def test_api_key_has_the_documented_shape() -> None:
    prefix, plaintext = tokens.new_api_key()
    assert plaintext.startswith(f"hk_{prefix}_")
    assert tokens.is_api_key(plaintext)
    assert tokens.api_key_prefix(plaintext) == prefix
    assert tokens.api_key_prefix("hk_nosecret") is None
    assert tokens.api_key_prefix("hk__secret") is None


def test_digests_are_compared_whole() -> None:
    digest = tokens.digest("secret")
    assert tokens.digests_match(digest, tokens.digest("secret"))
    assert not tokens.digests_match(digest, tokens.digest("secreT"))
