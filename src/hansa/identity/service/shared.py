"""What the identity use cases share: loading users, building actors, emitting events."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hansa.db.uow import UnitOfWork
from hansa.events import publish
from hansa.identity import repository
from hansa.identity.domain import Principal, User
from hansa.identity.errors import LastAdmin, UserNotFound
from hansa.identity.roles import effective_permissions
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent

ANONYMOUS = Actor(username="anonymous")


def require_user(conn: sa.Connection, username: str, *, for_update: bool = False) -> User:
    user = repository.find_user(conn, username, for_update=for_update)
    if user is None:
        raise UserNotFound(f"there is no user {username!r}", details={"username": username})
    return user


def actor_of(principal: Principal | User, via: str, session_id: str | None = None) -> Actor:
    user_id = principal.user_id if isinstance(principal, Principal) else principal.id
    return Actor(
        username=principal.username,
        user_id=user_id,
        roles=frozenset(principal.roles),
        permissions=effective_permissions(principal.roles),
        via=via,
        session_id=session_id,
    )


def keep_an_admin(conn: sa.Connection, user: User) -> None:
    """Refuse a change that takes *user* away from the active administrators if no other
    active administrator would remain."""
    if not repository.active_admin_ids(conn) - {user.id}:
        raise LastAdmin(
            f"{user.username} is the last active administrator; make another user an "
            "administrator first"
        )


def emit(uow: UnitOfWork, topic: str, **payload: Any) -> None:
    publish(uow, DomainEvent(topic=topic, payload=payload))
