"""Who may see and change which parties: the permission follows the party's roles."""

from __future__ import annotations

from hansa.kernel.actor import Actor
from hansa.parties.domain.parties import Party
from hansa.parties.errors import BadPartyInput

ROLES = ("customer", "vendor")


def require_party(actor: Actor, party: Party, action: str) -> None:
    """*actor* may *action* (read, write) a party if it may do so for one of its roles
    (a sales user edits a customer who is also a vendor)."""
    if not any(actor.can(f"parties.{role}.{action}") for role in party.roles):
        actor.require(f"parties.{party.roles[0]}.{action}")


def readable_role(actor: Actor, role: str | None) -> str | None:
    """The role filter of a list or search: the asked role (permission checked), or
    when none is asked, the one role the actor may read, or None for both."""
    if role is not None:
        if role not in ROLES:
            raise BadPartyInput(f"a party role is customer or vendor, not {role!r}")
        actor.require(f"parties.{role}.read")
        return role
    readable = [r for r in ROLES if actor.can(f"parties.{r}.read")]
    if not readable:
        actor.require("parties.customer.read")
    return readable[0] if len(readable) == 1 else None
