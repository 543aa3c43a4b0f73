"""Shared helpers of the parties tests."""

from __future__ import annotations

from collections.abc import Callable

from hansa.db.uow import UnitOfWork
from hansa.identity.roles import ROLES
from hansa.kernel.actor import Actor

Uows = Callable[..., UnitOfWork]


def as_role(role: str) -> Actor:
    return Actor(role, roles=frozenset({role}), permissions=ROLES[role].permissions)
