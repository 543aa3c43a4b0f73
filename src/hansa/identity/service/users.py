"""User accounts: the first administrator, adding, changing, disabling, passwords."""

from __future__ import annotations

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.identity import passwords, repository
from hansa.identity.domain import (
    AuthConfig,
    User,
    check_password,
    normalise_username,
    validate_email,
    validate_roles,
    validate_username,
)
from hansa.identity.errors import (
    AccountDisabled,
    AlreadyInitialised,
    CannotDisableSelf,
    UserExists,
    WrongCurrentPassword,
)
from hansa.identity.roles import ROLES, Role
from hansa.identity.service.shared import (
    actor_of,
    emit,
    keep_an_admin,
    require_user,
)
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Conflict, PermissionDenied

ADMIN = "admin"


@use_case
def create_first_admin(
    uow: UnitOfWork, username: str, password: str, email: str | None, cfg: AuthConfig
) -> User:
    """Create the first user, an administrator; refused once any user exists."""
    name = validate_username(username)
    address = validate_email(email)
    check_password(password, name, cfg.password_min_length)
    password_hash = passwords.hash_password(cfg, password)
    with uow:
        repository.lock_users_table(uow.conn)
        if repository.any_user(uow.conn):
            raise AlreadyInitialised("Hansa already has users; ask an administrator to add you")
        repository.insert_user(
            uow.conn,
            username=name,
            email=address,
            password_hash=password_hash,
            roles=(ADMIN,),
            at=clock.now(),
        )
        user = require_user(uow.conn, name)
        audit.record(
            uow,
            actor_of(user, "password"),
            "identity.user.create",
            "user",
            name,
            after=user.audit_view(),
        )
        emit(uow, "identity.user_created", user_id=user.id, username=name, roles=[ADMIN])
        uow.commit()
    return user


@use_case
def add_user(
    uow: UnitOfWork,
    cfg: AuthConfig,
    actor: Actor,
    *,
    username: str,
    roles: list[str],
    email: str | None = None,
    password: str | None = None,
) -> User:
    """Add a user. Without a password the user cannot log in by password until one is set
    (API keys made for them still work)."""
    actor.require("identity.user.create")
    name = validate_username(username)
    role_names = validate_roles(roles)
    _require_may_grant(actor, role_names)
    address = validate_email(email)
    password_hash = None
    if password is not None:
        check_password(password, name, cfg.password_min_length)
        password_hash = passwords.hash_password(cfg, password)
    with uow:
        if repository.find_user(uow.conn, name) is not None:
            raise UserExists(f"user {name} already exists", details={"username": name})
        repository.insert_user(
            uow.conn,
            username=name,
            email=address,
            password_hash=password_hash,
            roles=role_names,
            at=clock.now(),
        )
        user = require_user(uow.conn, name)
        audit.record(uow, actor, "identity.user.create", "user", name, after=user.audit_view())
        emit(uow, "identity.user_created", user_id=user.id, username=name, roles=list(role_names))
        uow.commit()
    return user


def list_users(uow: UnitOfWork, actor: Actor) -> list[User]:
    """All users, by user name."""
    actor.require("identity.user.read")
    with uow.for_reading() as reader:
        return repository.list_users(reader.conn)


def get_user(uow: UnitOfWork, actor: Actor, username: str) -> User:
    """One user; everyone may look themselves up."""
    name = normalise_username(username)
    if name != actor.username:
        actor.require("identity.user.read")
    with uow.for_reading() as reader:
        return require_user(reader.conn, name)


@use_case
def update_user(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    *,
    email: str | None = None,
    roles: list[str] | None = None,
    expected_version: int | None = None,
) -> User:
    """Change a user's e-mail (``""`` removes it) and/or roles (the given list replaces
    them). With *expected_version*, a user changed since it was read is a Conflict."""
    actor.require("identity.user.update")
    name = normalise_username(username)
    address = validate_email(email) if email is not None else None
    new_roles = validate_roles(roles) if roles is not None else None
    with uow:
        before = require_user(uow.conn, name, for_update=True)
        if expected_version is not None and expected_version != before.version:
            raise Conflict(
                f"user {name} was changed by someone else; reload it and try again",
                code="db.stale_version",
                details={"expected_version": expected_version, "version": before.version},
            )
        changes: dict[str, object] = {}
        if email is not None and address != before.email:
            changes["email"] = address
        if new_roles is not None and new_roles != before.roles:
            _require_may_grant(actor, tuple(set(new_roles) - set(before.roles)))
            if ADMIN in before.roles and ADMIN not in new_roles and before.active:
                keep_an_admin(uow.conn, before)
            repository.replace_roles(uow.conn, before.id, new_roles)
        elif not changes:
            return before
        repository.update_user(uow.conn, before, before.version, changes)
        after = require_user(uow.conn, name)
        audit.record(
            uow,
            actor,
            "identity.user.update",
            "user",
            name,
            before=before.audit_view(),
            after=after.audit_view(),
        )
        emit(
            uow,
            "identity.user_updated",
            user_id=after.id,
            username=name,
            email=after.email,
            roles=list(after.roles),
        )
        uow.commit()
    return after


@use_case
def disable_user(uow: UnitOfWork, actor: Actor, username: str) -> User:
    """Disable a user and end all their sessions and API keys. Disabling a disabled user
    changes nothing."""
    actor.require("identity.user.disable")
    name = normalise_username(username)
    if name == actor.username:
        raise CannotDisableSelf("you cannot disable your own account")
    with uow:
        before = require_user(uow.conn, name, for_update=True)
        if not before.active:
            return before
        if ADMIN in before.roles:
            keep_an_admin(uow.conn, before)
        at = clock.now()
        repository.update_user(uow.conn, before, before.version, {"active": False})
        sessions = repository.revoke_sessions(uow.conn, at, user_id=before.id)
        keys = repository.revoke_api_keys(uow.conn, at, user_id=before.id)
        after = require_user(uow.conn, name)
        audit.record(
            uow,
            actor,
            "identity.user.disable",
            "user",
            name,
            before=before.audit_view(),
            after={**after.audit_view(), "revoked_sessions": sessions, "revoked_api_keys": keys},
        )
        emit(uow, "identity.user_disabled", user_id=after.id, username=name)
        uow.commit()
    return after


@use_case
def enable_user(uow: UnitOfWork, actor: Actor, username: str) -> User:
    """Enable a disabled user; this also lifts a lock after failed logins. Revoked API keys
    stay revoked."""
    actor.require("identity.user.disable")
    name = normalise_username(username)
    with uow:
        before = require_user(uow.conn, name, for_update=True)
        at = clock.now()
        if before.active and not before.is_locked(at):
            return before
        repository.update_user(
            uow.conn,
            before,
            before.version,
            {"active": True, "failed_logins": 0, "locked_until": None},
        )
        after = require_user(uow.conn, name)
        audit.record(
            uow,
            actor,
            "identity.user.enable",
            "user",
            name,
            before={**before.audit_view(), "locked_until": before.locked_until},
            after={**after.audit_view(), "locked_until": None},
        )
        emit(uow, "identity.user_enabled", user_id=after.id, username=name)
        uow.commit()
    return after


@use_case
def change_password(
    uow: UnitOfWork,
    cfg: AuthConfig,
    actor: Actor,
    username: str,
    new_password: str,
    current_password: str | None = None,
) -> None:
    """Set a user's password. Users may change their own by giving the current one (so a
    stolen token alone cannot take over the account); anyone else's needs
    ``identity.user.update``. The user's other sessions end, a lock after failed logins
    is lifted, API keys keep working."""
    name = normalise_username(username)
    own = name == actor.username
    if not own:
        actor.require("identity.user.update")
    check_password(new_password, name, cfg.password_min_length)
    if own:
        with uow.for_reading() as reader:
            stored = repository.find_credentials(reader.conn, name)
        if current_password is None or not passwords.verify_password(
            cfg, stored.password_hash if stored else None, current_password
        ):
            raise WrongCurrentPassword(
                "give your current password (correctly) to change your own password"
            )
    password_hash = passwords.hash_password(cfg, new_password)
    with uow:
        user = require_user(uow.conn, name, for_update=True)
        at = clock.now()
        repository.update_user(
            uow.conn,
            user,
            user.version,
            {
                "password_hash": password_hash,
                "password_changed_at": at,
                "failed_logins": 0,
                "locked_until": None,
            },
        )
        sessions = repository.revoke_sessions(
            uow.conn, at, user_id=user.id, keep=actor.session_id if own else None
        )
        audit.record(
            uow,
            actor,
            "identity.user.password",
            "user",
            name,
            after={"password_changed_at": at, "revoked_sessions": sessions},
        )
        emit(uow, "identity.password_changed", user_id=user.id, username=name, by=actor.username)
        uow.commit()


def list_roles() -> list[Role]:
    """The built-in roles, in the order they are documented."""
    return list(ROLES.values())


def actor_for_user(uow: UnitOfWork, username: str, *, via: str = "password") -> Actor:
    """The actor for an active user, with its roles and permissions read from the
    database now."""
    name = normalise_username(username)
    with uow.for_reading() as reader:
        user = require_user(reader.conn, name)
    if not user.active:
        raise AccountDisabled(f"the account {name} is disabled")
    return actor_of(user, via)


def _require_may_grant(actor: Actor, roles: tuple[str, ...]) -> None:
    """Nobody hands out a role with permissions they do not hold themselves."""
    for role in roles:
        missing = sorted(p for p in ROLES[role].permissions if not actor.can(p))
        if missing:
            raise PermissionDenied(
                f"{actor.username} may not grant the role {role}: it includes {', '.join(missing)}",
                code="identity.role_escalation",
                details={"role": role, "missing": missing},
            )
