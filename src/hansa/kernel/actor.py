"""Who is calling a service, and what they may do.

Permission strings are ``domain.resource.action`` (``identity.user.create``). A
granted string may end in ``*`` to cover a prefix: ``identity.*`` or ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hansa.kernel.errors import PermissionDenied


def grants(granted: frozenset[str], permission: str) -> bool:
    """Whether the set *granted* covers *permission*.

    >>> grants(frozenset({"ledger.*"}), "ledger.entry.post")
    True
    >>> grants(frozenset({"ledger.entry.read"}), "ledger.entry.post")
    False
    """
    if permission in granted or "*" in granted:
        return True
    return any(g.endswith("*") and permission.startswith(g[:-1]) for g in granted)


@dataclass(frozen=True)
class Actor:
    username: str
    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)
    via: str = "password"  # password | token | apikey | system
    session_id: str | None = None  # the login session behind a token, if any

    def can(self, permission: str) -> bool:
        return grants(self.permissions, permission)

    def require(self, permission: str) -> None:
        """Raise PermissionDenied unless this actor holds *permission*."""
        if not self.can(permission):
            roles = ", ".join(sorted(self.roles)) or "no role"
            raise PermissionDenied(
                f"{self.username} ({roles}) may not {permission}",
                details={"permission": permission},
            )


SYSTEM = Actor(
    username="system", roles=frozenset({"system"}), permissions=frozenset({"*"}), via="system"
)
