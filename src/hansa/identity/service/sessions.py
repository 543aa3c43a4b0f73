"""Logging in and out, refreshing tokens, and authenticating each request.

A login opens a session (one ``auth_sessions`` row) and returns a short-lived access
token (a JWT naming the session) and a refresh token (stored only as its hash, rotated
on every refresh). Revoking the session ends both at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.identity import passwords, repository, tokens
from hansa.identity.domain import (
    AuthConfig,
    Credentials,
    LoginDecision,
    Principal,
    SessionState,
    TokenPair,
    decide_login,
    normalise_username,
)
from hansa.identity.errors import (
    AccountDisabled,
    AccountLocked,
    BadCredentials,
    BadToken,
    RefreshExpired,
    RefreshRevoked,
    SessionRevoked,
)
from hansa.identity.service.api_keys import authenticate_api_key
from hansa.identity.service.shared import ANONYMOUS, actor_of, emit
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Unauthenticated
from hansa.kernel.ids import new_id


def login(uow: UnitOfWork, cfg: AuthConfig, username: str, password: str) -> TokenPair:
    """Check a user name and password and open a session.

    An unknown user, a wrong password and a disabled user get the same answer. After
    ``cfg.lockout_threshold`` wrong passwords in a row the account is locked for
    ``cfg.lockout_minutes``. The password is verified outside any transaction (hashing is
    slow on purpose); the outcome is then stored in one, which commits even when the
    login is refused, so failures count.
    """
    name = normalise_username(username)
    with uow.for_reading() as reader:
        creds = repository.find_credentials(reader.conn, name)
    at = clock.now()
    locked = creds is not None and creds.locked_until is not None and at < creds.locked_until
    password_ok = not locked and passwords.verify_password(
        cfg, creds.password_hash if creds else None, password
    )
    new_hash = None
    if (
        password_ok
        and creds
        and creds.password_hash
        and passwords.needs_rehash(cfg, creds.password_hash)
    ):
        new_hash = passwords.hash_password(cfg, password)
    return _settle_login(uow, cfg, name, creds, password_ok, new_hash, at)


@use_case
def _settle_login(
    uow: UnitOfWork,
    cfg: AuthConfig,
    name: str,
    seen: Credentials | None,
    password_ok: bool,
    new_hash: str | None,
    at: datetime,
) -> TokenPair:
    with uow:
        creds = repository.find_credentials(uow.conn, name, for_update=True)
        if seen is None or creds is None:
            audit.record(
                uow,
                ANONYMOUS,
                "identity.login.failed",
                "user",
                name[:64],
                after={"reason": "unknown_user"},
            )
            uow.commit()
            raise BadCredentials()
        # A password changed while we were hashing: the verdict was about the old one.
        password_ok = password_ok and creds.password_hash == seen.password_hash
        lockout = timedelta(minutes=cfg.lockout_minutes)
        decision = decide_login(creds, password_ok, cfg.lockout_threshold, lockout, at)
        if decision.outcome != "ok":
            _record_refusal(uow, creds, decision)
            uow.commit()
            raise _refusal(name, decision)
        repository.store_login_attempt(
            uow.conn,
            creds.user_id,
            failed_logins=0,
            locked_until=None,
            last_login_at=at,
            password_hash=new_hash,
        )
        roles = repository.roles_of(uow.conn, creds.user_id)
        session_id = new_id()
        pair = _open_session(uow, cfg, Principal(creds.user_id, name, True, roles), session_id, at)
        audit.record(
            uow,
            Actor(name, creds.user_id),
            "identity.login",
            "session",
            session_id,
            after={"username": name, "rehashed": new_hash is not None},
        )
        emit(
            uow,
            "identity.user_logged_in",
            user_id=creds.user_id,
            username=name,
            session_id=session_id,
        )
        uow.commit()
    return pair


def _record_refusal(uow: UnitOfWork, creds: Credentials, decision: LoginDecision) -> None:
    """Store the lockout bookkeeping and audit the refusal (the caller commits)."""
    if decision.outcome != "locked":
        repository.store_login_attempt(
            uow.conn,
            creds.user_id,
            failed_logins=decision.failed_logins,
            locked_until=decision.locked_until,
        )
    who, name = Actor(creds.username, creds.user_id), creds.username
    audit.record(
        uow,
        who,
        "identity.login.failed",
        "user",
        name,
        after={"reason": decision.outcome, "failed_logins": decision.failed_logins},
    )
    if decision.just_locked:
        audit.record(
            uow,
            who,
            "identity.account.locked",
            "user",
            name,
            after={"locked_until": decision.locked_until},
        )
        emit(
            uow,
            "identity.user_locked",
            user_id=creds.user_id,
            username=name,
            locked_until=decision.locked_until,
        )


def _refusal(name: str, decision: LoginDecision) -> Unauthenticated:
    if decision.outcome == "locked" and decision.locked_until is not None:
        return AccountLocked(
            f"the account {name} is locked after too many failed logins until "
            f"{decision.locked_until:%Y-%m-%d %H:%M:%S} UTC; try again then or ask an "
            "administrator to unlock it",
            details={"locked_until": decision.locked_until.isoformat()},
        )
    return BadCredentials()


def _open_session(
    uow: UnitOfWork, cfg: AuthConfig, principal: Principal, session_id: str, at: datetime
) -> TokenPair:
    refresh_token = tokens.new_refresh_token()
    refresh_expires_at = at + timedelta(days=cfg.refresh_token_days)
    repository.insert_session(
        uow.conn,
        session_id=session_id,
        user_id=principal.user_id,
        refresh_hash=tokens.digest(refresh_token),
        at=at,
        expires_at=refresh_expires_at,
    )
    return _token_pair(cfg, principal, session_id, refresh_token, refresh_expires_at, at)


def _token_pair(
    cfg: AuthConfig,
    principal: Principal,
    session_id: str,
    refresh_token: str,
    refresh_expires_at: datetime,
    at: datetime,
) -> TokenPair:
    access_token, access_expires_at = tokens.issue_access_token(
        cfg,
        user_id=principal.user_id,
        username=principal.username,
        roles=principal.roles,
        session_id=session_id,
        at=at,
    )
    return TokenPair(
        access_token=access_token,
        refresh_token=refresh_token,
        expires_in=int((access_expires_at - at).total_seconds()),
        access_expires_at=access_expires_at,
        refresh_expires_at=refresh_expires_at,
        username=principal.username,
    )


@use_case
def refresh(uow: UnitOfWork, cfg: AuthConfig, refresh_token: str) -> TokenPair:
    """New tokens for a live session. The refresh token rotates: the one presented stops
    working, and the session's lifetime starts again from now."""
    at = clock.now()
    with uow:
        session = repository.session_by_refresh(uow.conn, tokens.digest(refresh_token))
        if session is None or session.revoked_at is not None or not session.principal.active:
            raise RefreshRevoked("the refresh token is no longer valid; log in again")
        if at >= session.expires_at:
            raise RefreshExpired(
                f"the session expired at {session.expires_at:%Y-%m-%d %H:%M:%S} UTC; log in again"
            )
        new_token = tokens.new_refresh_token()
        expires_at = at + timedelta(days=cfg.refresh_token_days)
        repository.rotate_session(uow.conn, session.id, tokens.digest(new_token), expires_at)
        pair = _token_pair(cfg, session.principal, session.id, new_token, expires_at, at)
        audit.record(
            uow,
            actor_of(session.principal, "token"),
            "identity.session.refresh",
            "session",
            session.id,
        )
        uow.commit()
    return pair


@use_case
def logout(uow: UnitOfWork, cfg: AuthConfig, token: str) -> None:
    """End the session of an access token (even an expired one) or a refresh token.
    Logging out of an ended session changes nothing."""
    at = clock.now()
    if tokens.is_api_key(token):
        raise BadToken("an API key has no session to log out of; revoke the key instead")
    claims = None
    if tokens.looks_like_jwt(token):
        claims = tokens.read_access_token(cfg, token, at, allow_expired=True)
    with uow:
        session: SessionState | None
        if claims is not None:
            session = repository.session_state(uow.conn, claims.session_id)
        else:
            session = repository.session_by_refresh(uow.conn, tokens.digest(token))
        if session is None and claims is not None:
            raise SessionRevoked("the session no longer exists")
        if session is None:
            raise RefreshRevoked("the refresh token is no longer valid")
        if session.revoked_at is not None:
            return
        repository.revoke_sessions(uow.conn, at, session_id=session.id)
        audit.record(
            uow, actor_of(session.principal, "token"), "identity.logout", "session", session.id
        )
        emit(
            uow,
            "identity.user_logged_out",
            user_id=session.principal.user_id,
            username=session.principal.username,
            session_id=session.id,
        )
        uow.commit()


def authenticate(uow: UnitOfWork, cfg: AuthConfig, token: str) -> Actor:
    """The actor behind an access token or an API key (``hk_...``).

    Runs on every API request, so it hashes no password and reads one indexed join. The
    roles come from the database, not the token: a role change applies at once.
    """
    if tokens.is_api_key(token):
        return authenticate_api_key(uow, token)
    claims = tokens.read_access_token(cfg, token, clock.now())
    with uow.for_reading() as reader:
        session = repository.session_state(reader.conn, claims.session_id)
    if (
        session is None
        or session.revoked_at is not None
        or session.principal.user_id != claims.user_id
    ):
        raise SessionRevoked(
            "the session has ended (logged out, password changed or user disabled); log in again"
        )
    if not session.principal.active:
        raise AccountDisabled(f"the account {session.principal.username} is disabled")
    return actor_of(session.principal, "token", claims.session_id)
