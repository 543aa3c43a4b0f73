"""Reading and writing users, roles, sessions and API keys (SQLAlchemy Core; never commits).

``for_update`` takes row locks on PostgreSQL; SQLite write transactions already hold the
database's write lock (``BEGIN IMMEDIATE``), so the clause is left out there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hansa.db.uow import update_versioned
from hansa.identity.domain import (
    ApiKey,
    Credentials,
    KeyState,
    Principal,
    SessionState,
    User,
)
from hansa.identity.tables import api_keys, auth_sessions, user_roles, users

Row = sa.Row[*tuple[Any, ...]]
ADMIN = "admin"


# -- users ---------------------------------------------------------------------------------


def _user(row: Row, roles: Iterable[str]) -> User:
    return User(
        id=row.id,
        username=row.username,
        email=row.email,
        roles=tuple(sorted(roles)),
        active=bool(row.active),
        locked_until=row.locked_until,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        version=row.version,
    )


_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.email,
    users.c.active,
    users.c.locked_until,
    users.c.created_at,
    users.c.last_login_at,
    users.c.version,
)


def _roles_of(conn: sa.Connection, user_ids: Sequence[int] | None) -> dict[int, list[str]]:
    query = sa.select(user_roles.c.user_id, user_roles.c.role)
    if user_ids is not None:
        query = query.where(user_roles.c.user_id.in_(user_ids))
    roles: dict[int, list[str]] = defaultdict(list)
    for user_id, role in conn.execute(query):
        roles[user_id].append(role)
    return roles


def roles_of(conn: sa.Connection, user_id: int) -> tuple[str, ...]:
    return tuple(sorted(_roles_of(conn, [user_id])[user_id]))


def any_user(conn: sa.Connection) -> bool:
    return conn.execute(sa.select(users.c.id).limit(1)).first() is not None


def lock_users_table(conn: sa.Connection) -> None:
    """Keep concurrent first-admin creations apart (SQLite's write lock already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))


def insert_user(
    conn: sa.Connection,
    *,
    username: str,
    email: str | None,
    password_hash: str | None,
    roles: Iterable[str],
    at: datetime,
) -> int:
    result = conn.execute(
        users.insert()
        .values(
            username=username,
            email=email,
            password_hash=password_hash,
            password_changed_at=at if password_hash else None,
            created_at=at,
        )
        .returning(users.c.id)
    )
    user_id = int(result.scalar_one())
    replace_roles(conn, user_id, roles)
    return user_id


def find_user(conn: sa.Connection, username: str, *, for_update: bool = False) -> User | None:
    query = sa.select(*_USER_COLUMNS).where(users.c.username == username)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        return None
    return _user(row, _roles_of(conn, [row.id])[row.id])


def list_users(conn: sa.Connection) -> list[User]:
    rows = conn.execute(sa.select(*_USER_COLUMNS).order_by(users.c.username)).all()
    roles = _roles_of(conn, None)
    return [_user(row, roles[row.id]) for row in rows]


def find_credentials(
    conn: sa.Connection, username: str, *, for_update: bool = False
) -> Credentials | None:
    query = sa.select(
        users.c.id,
        users.c.username,
        users.c.password_hash,
        users.c.active,
        users.c.failed_logins,
        users.c.locked_until,
    ).where(users.c.username == username)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        return None
    return Credentials(
        user_id=row.id,
        username=row.username,
        password_hash=row.password_hash,
        active=bool(row.active),
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
    )


def replace_roles(conn: sa.Connection, user_id: int, roles: Iterable[str]) -> None:
    conn.execute(user_roles.delete().where(user_roles.c.user_id == user_id))
    rows = [{"user_id": user_id, "role": role} for role in roles]
    if rows:
        conn.execute(user_roles.insert(), rows)


def update_user(
    conn: sa.Connection, user: User, expected_version: int, values: dict[str, object]
) -> None:
    """Change *user*'s row and bump its version; Conflict if it is no longer
    *expected_version*."""
    update_versioned(
        conn, users, users.c.id == user.id, expected_version, values, f"user {user.username}"
    )


def store_login_attempt(
    conn: sa.Connection,
    user_id: int,
    *,
    failed_logins: int,
    locked_until: datetime | None,
    last_login_at: datetime | None = None,
    password_hash: str | None = None,
) -> None:
    """Lockout bookkeeping. It does not bump the version: logging in is not an edit."""
    values: dict[str, object] = {"failed_logins": failed_logins, "locked_until": locked_until}
    if last_login_at is not None:
        values["last_login_at"] = last_login_at
    if password_hash is not None:
        values["password_hash"] = password_hash
    conn.execute(users.update().where(users.c.id == user_id).values(**values))


def active_admin_ids(conn: sa.Connection) -> set[int]:
    """The active administrators, locked so that two changes cannot each remove
    "another" admin and leave none."""
    admins = sa.select(user_roles.c.user_id).where(user_roles.c.role == ADMIN)
    query = sa.select(users.c.id).where(users.c.active, users.c.id.in_(admins))
    return {row.id for row in conn.execute(query.with_for_update())}


# -- sessions ------------------------------------------------------------------------------


def _principal(rows: Sequence[Row]) -> Principal:
    first = rows[0]
    return Principal(
        user_id=first.user_id,
        username=first.username,
        active=bool(first.active),
        roles=tuple(sorted(r.role for r in rows if r.role is not None)),
    )


def _with_principal(*columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    return sa.select(
        *columns,
        users.c.id.label("user_id"),
        users.c.username,
        users.c.active,
        user_roles.c.role,
    )


def _session_query() -> sa.Select[Any]:
    return _with_principal(
        auth_sessions.c.id, auth_sessions.c.expires_at, auth_sessions.c.revoked_at
    ).select_from(
        auth_sessions.join(users, users.c.id == auth_sessions.c.user_id).outerjoin(
            user_roles, user_roles.c.user_id == users.c.id
        )
    )


def _session(rows: Sequence[Row]) -> SessionState | None:
    if not rows:
        return None
    first = rows[0]
    return SessionState(first.id, _principal(rows), first.expires_at, first.revoked_at)


def insert_session(
    conn: sa.Connection,
    *,
    session_id: str,
    user_id: int,
    refresh_hash: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    conn.execute(
        auth_sessions.insert().values(
            id=session_id,
            user_id=user_id,
            refresh_hash=refresh_hash,
            created_at=at,
            expires_at=expires_at,
        )
    )


def session_state(conn: sa.Connection, session_id: str) -> SessionState | None:
    """The session, its user and the user's roles, in one query."""
    return _session(conn.execute(_session_query().where(auth_sessions.c.id == session_id)).all())


def session_by_refresh(conn: sa.Connection, refresh_hash: str) -> SessionState | None:
    query = _session_query().where(auth_sessions.c.refresh_hash == refresh_hash)
    return _session(conn.execute(query.with_for_update(of=auth_sessions)).all())


def rotate_session(
    conn: sa.Connection, session_id: str, refresh_hash: str, expires_at: datetime
) -> None:
    conn.execute(
        auth_sessions.update()
        .where(auth_sessions.c.id == session_id)
        .values(refresh_hash=refresh_hash, expires_at=expires_at)
    )


def revoke_sessions(
    conn: sa.Connection,
    at: datetime,
    *,
    session_id: str | None = None,
    user_id: int | None = None,
    keep: str | None = None,
) -> int:
    """Revoke one session or all of a user's (but *keep*); returns how many were live."""
    if session_id is None and user_id is None:
        raise ValueError("name a session or a user")
    query = auth_sessions.update().where(auth_sessions.c.revoked_at.is_(None))
    if session_id is not None:
        query = query.where(auth_sessions.c.id == session_id)
    if user_id is not None:
        query = query.where(auth_sessions.c.user_id == user_id)
    if keep is not None:
        query = query.where(auth_sessions.c.id != keep)
    return conn.execute(query.values(revoked_at=at)).rowcount


# -- API keys ------------------------------------------------------------------------------

_KEY_COLUMNS = (
    api_keys.c.id,
    users.c.username,
    api_keys.c.name,
    api_keys.c.prefix,
    api_keys.c.created_at,
    api_keys.c.expires_at,
    api_keys.c.revoked_at,
    api_keys.c.last_used_at,
)


def _api_key(row: Row) -> ApiKey:
    return ApiKey(
        id=row.id,
        username=row.username,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _keys_query() -> sa.Select[Any]:
    return sa.select(*_KEY_COLUMNS).select_from(
        api_keys.join(users, users.c.id == api_keys.c.user_id)
    )


def insert_api_key(
    conn: sa.Connection,
    *,
    user_id: int,
    name: str,
    prefix: str,
    key_hash: str,
    at: datetime,
    expires_at: datetime | None,
) -> int:
    result = conn.execute(
        api_keys.insert()
        .values(
            user_id=user_id,
            name=name,
            prefix=prefix,
            key_hash=key_hash,
            created_at=at,
            expires_at=expires_at,
        )
        .returning(api_keys.c.id)
    )
    return int(result.scalar_one())


def key_state(conn: sa.Connection, prefix: str) -> KeyState | None:
    """The key with *prefix*, its user and the user's roles, in one query."""
    key_columns = [c for c in _KEY_COLUMNS if c is not users.c.username]
    query = (
        _with_principal(*key_columns, api_keys.c.key_hash)
        .select_from(
            api_keys.join(users, users.c.id == api_keys.c.user_id).outerjoin(
                user_roles, user_roles.c.user_id == users.c.id
            )
        )
        .where(api_keys.c.prefix == prefix)
    )
    rows = conn.execute(query).all()
    if not rows:
        return None
    return KeyState(_api_key(rows[0]), rows[0].key_hash, _principal(rows))


def touch_api_key(conn: sa.Connection, key_id: int, at: datetime, since: datetime) -> None:
    """Record a use, unless one was recorded after *since*."""
    conn.execute(
        api_keys.update()
        .where(
            api_keys.c.id == key_id,
            sa.or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < since),
        )
        .values(last_used_at=at)
    )


def find_api_key(conn: sa.Connection, key_id: int) -> ApiKey | None:
    row = conn.execute(_keys_query().where(api_keys.c.id == key_id)).first()
    return None if row is None else _api_key(row)


def list_api_keys(conn: sa.Connection, username: str | None = None) -> list[ApiKey]:
    query = _keys_query().order_by(api_keys.c.id)
    if username is not None:
        query = query.where(users.c.username == username)
    return [_api_key(row) for row in conn.execute(query)]


def revoke_api_keys(
    conn: sa.Connection, at: datetime, *, key_id: int | None = None, user_id: int | None = None
) -> int:
    """Revoke one key or all of a user's; returns how many were still live."""
    if key_id is None and user_id is None:
        raise ValueError("name a key or a user")
    query = api_keys.update().where(api_keys.c.revoked_at.is_(None))
    if key_id is not None:
        query = query.where(api_keys.c.id == key_id)
    if user_id is not None:
        query = query.where(api_keys.c.user_id == user_id)
    return conn.execute(query.values(revoked_at=at)).rowcount
