"""API keys: long-lived credentials for scripts and integrations, one user each.

A key reads ``hk_<prefix>_<secret>``. The plaintext is shown once, at creation; the
database keeps the prefix (to find the key and to show it) and a SHA-256 digest.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.identity import repository, tokens
from hansa.identity.domain import ApiKey, normalise_username
from hansa.identity.errors import (
    AccountDisabled,
    ApiKeyExpired,
    ApiKeyNotFound,
    ApiKeyRevoked,
    BadApiKeyName,
    BadExpiry,
    BadToken,
    UserDisabled,
)
from hansa.identity.service.shared import actor_of, emit, require_user
from hansa.kernel import clock
from hansa.kernel.actor import Actor

MAX_NAME_LENGTH = 100
MAX_EXPIRY_DAYS = 3650
TOUCH_INTERVAL = timedelta(minutes=1)  # last_used_at is written at most this often


@use_case
def create_api_key(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    expires_days: int | None = None,
    username: str | None = None,
) -> tuple[ApiKey, str]:
    """A new key for the actor (or, for an administrator, for *username*) and its
    plaintext, which is not stored and cannot be shown again."""
    target = normalise_username(username) if username else actor.username
    actor.require("identity.apikey.create" if target == actor.username else "identity.user.update")
    label = name.strip()
    if not label or len(label) > MAX_NAME_LENGTH:
        raise BadApiKeyName(f"an API key needs a name of 1-{MAX_NAME_LENGTH} characters")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise BadExpiry(f"an API key expires after 1-{MAX_EXPIRY_DAYS} days (or never)")
    prefix, plaintext = tokens.new_api_key()
    with uow:
        user = require_user(uow.conn, target)
        if not user.active:
            raise UserDisabled(f"user {target} is disabled; enable the user first")
        at = clock.now()
        key_id = repository.insert_api_key(
            uow.conn,
            user_id=user.id,
            name=label,
            prefix=prefix,
            key_hash=tokens.digest(plaintext),
            at=at,
            expires_at=at + timedelta(days=expires_days) if expires_days else None,
        )
        key = _require_key(uow, key_id)
        audit.record(
            uow, actor, "identity.apikey.create", "api_key", key_id, after=key.audit_view()
        )
        emit(uow, "identity.api_key_created", id=key_id, username=target, name=label, prefix=prefix)
        uow.commit()
    return key, plaintext


def list_api_keys(uow: UnitOfWork, actor: Actor, username: str | None = None) -> list[ApiKey]:
    """The actor's own keys; everyone's (or *username*'s) for those who may read users."""
    owner = normalise_username(username) if username else None
    if owner == actor.username or (owner is None and not actor.can("identity.user.read")):
        actor.require("identity.apikey.read")
        owner = actor.username
    else:
        actor.require("identity.user.read")
    with uow.for_reading() as reader:
        return repository.list_api_keys(reader.conn, owner)


@use_case
def revoke_api_key(uow: UnitOfWork, actor: Actor, key_id: int) -> ApiKey:
    """Revoke a key at once. One's own keys need ``identity.apikey.revoke``, anyone
    else's ``identity.user.update``. Revoking a revoked key changes nothing."""
    if not actor.can("identity.user.update"):
        actor.require("identity.apikey.revoke")
    with uow:
        before = _require_key(uow, key_id)
        if before.username != actor.username:
            actor.require("identity.user.update")
        if before.revoked_at is not None:
            return before
        repository.revoke_api_keys(uow.conn, clock.now(), key_id=key_id)
        after = _require_key(uow, key_id)
        audit.record(
            uow,
            actor,
            "identity.apikey.revoke",
            "api_key",
            key_id,
            before=before.audit_view(),
            after=after.audit_view(),
        )
        emit(
            uow, "identity.api_key_revoked", id=key_id, username=after.username, prefix=after.prefix
        )
        uow.commit()
    return after


def authenticate_api_key(uow: UnitOfWork, token: str) -> Actor:
    """The actor behind an API key: one indexed join, a constant-time digest comparison
    and, at most once a minute per key, a write of ``last_used_at``."""
    prefix = tokens.api_key_prefix(token)
    if prefix is None:
        raise BadToken("this is not an API key of the form hk_<prefix>_<secret>")
    at = clock.now()
    with uow.for_reading() as reader:
        state = repository.key_state(reader.conn, prefix)
    if state is None or not tokens.digests_match(state.key_hash, tokens.digest(token)):
        raise BadToken("the API key is not valid")
    key = state.key
    if key.revoked_at is not None:
        raise ApiKeyRevoked(f"the API key {key.prefix} ({key.name}) was revoked")
    if key.expires_at is not None and at >= key.expires_at:
        raise ApiKeyExpired(
            f"the API key {key.prefix} ({key.name}) expired at "
            f"{key.expires_at:%Y-%m-%d %H:%M:%S} UTC"
        )
    if not state.principal.active:
        raise AccountDisabled(f"the account {state.principal.username} is disabled")
    if key.last_used_at is None or at - key.last_used_at >= TOUCH_INTERVAL:
        _touch(uow.for_writing(), key.id, at)
    return actor_of(state.principal, "apikey")


@use_case
def _touch(uow: UnitOfWork, key_id: int, at: datetime) -> None:
    with uow:
        repository.touch_api_key(uow.conn, key_id, at, since=at - TOUCH_INTERVAL)
        uow.commit()


def _require_key(uow: UnitOfWork, key_id: int) -> ApiKey:
    key = repository.find_api_key(uow.conn, key_id)
    if key is None:
        raise ApiKeyNotFound(f"there is no API key {key_id}", details={"id": key_id})
    return key
