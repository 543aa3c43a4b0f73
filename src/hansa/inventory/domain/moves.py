"""Stock moves: kinds, states, and which pairs of locations each kind joins.

A move goes draft -> done (immutable; corrected by a counter-move) or draft ->
cancelled. Its direction for valuation follows its locations: into stock from a
virtual location is *incoming* (valued, adds to the valuation), out of stock to a
virtual location is *outgoing* (valued by the category's method), between two
internal locations is a transfer (no change of value).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from hansa.inventory.domain.locations import Location, LocationKind
from hansa.inventory.errors import BadInventoryInput, MoveRuleViolation


class MoveKind(StrEnum):
    receipt = "receipt"
    issue = "issue"
    transfer = "transfer"
    adjustment = "adjustment"
    scrap = "scrap"


class MoveState(StrEnum):
    draft = "draft"
    done = "done"
    cancelled = "cancelled"


class Direction(StrEnum):
    incoming = "incoming"
    outgoing = "outgoing"
    internal = "internal"


# The virtual side each kind allows (None: both sides internal).
_VIRTUAL_SIDE: dict[MoveKind, set[LocationKind] | None] = {
    MoveKind.receipt: {LocationKind.supplier},
    MoveKind.issue: {LocationKind.customer, LocationKind.production},
    MoveKind.transfer: None,
    MoveKind.adjustment: {LocationKind.adjustment},
    MoveKind.scrap: {LocationKind.scrap},
}


@dataclass(frozen=True)
class Move:
    id: int
    company_id: int
    kind: MoveKind
    state: MoveState
    product: str
    quantity: Decimal
    source: str
    destination: str
    lot: str | None
    unit_cost: Decimal | None
    value: Decimal | None
    date: date
    reference: str | None
    partner: str | None
    reason: str | None
    counter_of: int | None
    entry_id: int | None
    reserved: bool
    created_by: str
    created_at: datetime


def parse_kind(value: str) -> MoveKind:
    try:
        return MoveKind(value.strip().lower())
    except ValueError:
        raise BadInventoryInput(
            f"unknown move kind {value!r}: use {', '.join(MoveKind)}",
            code="inventory.bad_move_kind",
        ) from None


def direction(kind: MoveKind, source: Location, destination: Location) -> Direction:
    """The direction of a *kind* move from *source* to *destination*; refused when the
    locations do not fit the kind (a receipt into a customer, a transfer to scrap)."""
    if source.id == destination.id:
        raise MoveRuleViolation(f"a move needs two different locations, not {source.code} twice")
    allowed = _VIRTUAL_SIDE[kind]
    if allowed is None:
        if source.internal and destination.internal:
            return Direction.internal
        raise MoveRuleViolation(
            f"a transfer moves stock between internal locations, not {source.code} -> "
            f"{destination.code}"
        )
    # Either way round: a receipt back to the supplier is a return, an issue back from
    # the customer a customer return (and both are how counter-moves run).
    if destination.internal and source.kind in allowed:
        return Direction.incoming
    if source.internal and destination.kind in allowed:
        return Direction.outgoing
    sides = " or ".join(sorted(k.value for k in allowed))
    raise MoveRuleViolation(
        f"a {kind.value} joins a stock location and a {sides} location, not {source.code} -> "
        f"{destination.code}"
    )
