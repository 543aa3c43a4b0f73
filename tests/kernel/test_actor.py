"""Actors and permission strings with wildcards."""

from __future__ import annotations

import pytest

from hansa.kernel.actor import SYSTEM, Actor, grants
from hansa.kernel.errors import PERMISSION_DENIED, PermissionDenied


@pytest.mark.parametrize(
    ("granted", "permission", "expected"),
    [
        ({"ledger.entry.post"}, "ledger.entry.post", True),
        ({"ledger.entry.read"}, "ledger.entry.post", False),
        ({"ledger.*"}, "ledger.entry.post", True),
        ({"ledger.entry.*"}, "ledger.entry.post", True),
        ({"ledger.entry.*"}, "ledger.account.create", False),
        ({"ledger.*"}, "identity.user.create", False),
        ({"ledger.*"}, "ledgerx.entry.post", False),
        ({"*"}, "identity.user.create", True),
        ({"*"}, "anything.at.all", True),
        (set(), "ledger.entry.read", False),
        ({"identity.user.read", "ledger.*"}, "ledger.period.close", True),
    ],
)
def test_granted_permissions_cover_exact_names_and_wildcard_prefixes(
    granted: set[str], permission: str, expected: bool
) -> None:
    assert grants(frozenset(granted), permission) is expected


def test_an_actor_can_do_what_its_permissions_cover() -> None:
    clerk = Actor("clerk", permissions=frozenset({"ledger.entry.*", "audit.log.read"}))
    assert clerk.can("ledger.entry.post")
    assert clerk.can("audit.log.read")
    assert not clerk.can("identity.user.create")
    clerk.require("ledger.entry.post")  # does not raise


def test_require_refuses_a_missing_permission_with_a_stable_code() -> None:
    clerk = Actor("clerk", roles=frozenset({"bookkeeper"}), permissions=frozenset({"ledger.*"}))
    with pytest.raises(PermissionDenied) as caught:
        clerk.require("identity.user.create")
    error = caught.value
    assert error.code == "identity.permission_denied"
    assert error.kind is PERMISSION_DENIED
    assert error.kind.http_status == 403
    assert error.details == {"permission": "identity.user.create"}
    assert "clerk" in error.message
    assert "bookkeeper" in error.message
    assert "identity.user.create" in error.message


def test_an_actor_without_roles_is_named_as_such_when_refused() -> None:
    with pytest.raises(PermissionDenied, match=r"nobody \(no role\) may not audit\.log\.read"):
        Actor("nobody").require("audit.log.read")


def test_the_system_actor_may_do_everything() -> None:
    assert SYSTEM.via == "system"
    for permission in ("identity.user.create", "events.outbox.dispatch", "audit.log.read"):
        SYSTEM.require(permission)
