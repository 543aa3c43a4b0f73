"""Stock moves: make one (done at once, or a draft that reserves what it will take),
complete or cancel a draft, correct a done move with its counter-move.

A done move changes, in one transaction: the on-hand balances of its stock locations,
the product's valuation (FIFO layers or moving average) and the ledger (inventory
account against the account of the move's kind), with an audit record and an event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.inventory.domain.locations import VIRTUAL, Location
from hansa.inventory.domain.lots import Lot
from hansa.inventory.domain.moves import Direction, Move, MoveKind, MoveState, direction, parse_kind
from hansa.inventory.domain.products import Category, Product, check_quantity, plain
from hansa.inventory.errors import (
    ExpiredLot,
    InsufficientStock,
    LocationNotFound,
    MoveNotFound,
    MoveRuleViolation,
)
from hansa.inventory.repository import sites
from hansa.inventory.repository import stock as repo
from hansa.inventory.repository.stock import BalanceKey
from hansa.inventory.service import lots as lot_service
from hansa.inventory.service import valuation
from hansa.inventory.service.scope import (
    READ_MOVE,
    WRITE_MOVE,
    Scope,
    default_stock,
    product,
    product_and_category,
    scope,
)
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import quantize


@dataclass(frozen=True)
class MoveRequest:
    """A move as asked for. Locations default by kind: a receipt comes from SUPPLIER
    into the main stock, an issue goes from there to CUSTOMER, scrap to SCRAP; an
    adjustment adds stock (from ADJUSTMENT) unless *source* is a stock location."""

    kind: MoveKind | str
    product: str
    quantity: Decimal
    source: str | None = None
    destination: str | None = None
    lot: str | None = None
    expiry: date | None = None  # of a new lot a receipt brings in
    unit_cost: Decimal | None = None  # per base unit, for stock coming in
    unit: str | None = None  # the unit *quantity* counts in (default: the base unit)
    date: date | None = None
    reference: str | None = None
    partner: str | None = None  # the ledger's partner code, for the record
    reason: str | None = None  # why (an adjustment, an expired lot taken out anyway)


@dataclass(frozen=True)
class Plan:
    kind: MoveKind
    product: Product
    category: Category
    quantity: Decimal
    source: Location
    destination: Location
    way: Direction
    lot: Lot | None
    day: date


_DEFAULT_SIDES = {
    MoveKind.receipt: ("SUPPLIER", None),
    MoveKind.issue: (None, "CUSTOMER"),
    MoveKind.scrap: (None, "SCRAP"),
    MoveKind.adjustment: ("ADJUSTMENT", None),
    MoveKind.transfer: (None, None),
}


def _sides(
    uow: UnitOfWork, s: Scope, source: str | None, destination: str | None
) -> tuple[Location, Location]:
    """The two locations of a move (None: the main stock), the named ones in one query."""
    named = sites.find_locations(uow.conn, s.id, [c for c in (source, destination) if c])

    def side(code: str | None) -> Location:
        if code is None:
            return default_stock(uow, s)
        if code not in named:
            raise LocationNotFound(f"there is no location {code!r}")
        return named[code]

    return side(source), side(destination)


def _plan(uow: UnitOfWork, s: Scope, req: MoveRequest) -> Plan:
    kind = req.kind if isinstance(req.kind, MoveKind) else parse_kind(req.kind)
    item, found = product_and_category(uow, s, req.product, with_units=req.unit is not None)
    if not item.active:
        raise MoveRuleViolation(f"{item.sku} is archived: restore it before moving stock")
    quantity = check_quantity(req.quantity) * item.factor(req.unit)
    default_from, default_to = _DEFAULT_SIDES[kind]
    if kind is MoveKind.adjustment and req.source and req.source not in VIRTUAL:
        default_to = "ADJUSTMENT"  # an adjustment out of a named stock location
    if kind is MoveKind.transfer and not (req.source and req.destination):
        raise MoveRuleViolation("a transfer needs --from and --to locations")
    source, destination = _sides(uow, s, req.source or default_from, req.destination or default_to)
    way = direction(kind, source, destination)
    day = req.date or clock.today()
    lot = lot_service.lot_for_move(uow, s, item, req.lot, req.expiry, way, day, quantity)
    return Plan(kind, item, found, quantity, source, destination, way, lot, day)


def balance_key(s: Scope, p: Plan, where: Location) -> BalanceKey:
    return BalanceKey(s.id, p.product.id, where.id, p.lot.id if p.lot else 0)


def take_out(
    uow: UnitOfWork, s: Scope, p: Plan, *, reserved: bool, reserve_only: bool, reason: str | None
) -> None:
    """Check and take *p.quantity* out of its source location (or only reserve it)."""
    key = balance_key(s, p, p.source)
    on_hand, held = repo.lock_balance(uow.conn, key)
    free = on_hand - held + (p.quantity if reserved else 0)
    if p.quantity > free and not p.product.allow_negative:
        lot = f" lot {p.lot.code}" if p.lot else ""
        raise InsufficientStock(
            f"insufficient stock: {p.product.sku}{lot} at {p.source.code} has {plain(free)} "
            f"available ({plain(on_hand)} on hand, {plain(held)} reserved), "
            f"{plain(p.quantity)} asked",
            details={"available": str(free), "on_hand": str(on_hand), "asked": str(p.quantity)},
        )
    if p.lot and p.lot.expired_on(p.day) and not reason:
        raise ExpiredLot(
            f"lot {p.lot.code} of {p.product.sku} expired on {p.lot.expiry}: it cannot leave "
            "stock unless you give a reason (--override-reason)"
        )
    if reserve_only:
        repo.add_to_balance(uow.conn, key, Decimal(0), p.quantity)
    else:
        repo.add_to_balance(uow.conn, key, -p.quantity, -p.quantity if reserved else Decimal(0))


def move_row(s: Scope, p: Plan, req: MoveRequest, actor: Actor) -> dict[str, Any]:
    return {
        "company_id": s.id,
        "kind": p.kind.value,
        "product_id": p.product.id,
        "quantity": p.quantity,
        "source_id": p.source.id,
        "destination_id": p.destination.id,
        "lot_id": p.lot.id if p.lot else None,
        # A receipt without a cost comes in at the catalog cost; other stock coming in
        # (a count's gain) at the current average, decided when it is valued.
        "unit_cost": p.product.cost
        if req.unit_cost is None and p.kind is MoveKind.receipt
        else req.unit_cost,
        "date": p.day,
        "reference": req.reference,
        "partner": req.partner,
        "reason": req.reason,
        "created_by": actor.username,
        "created_at": clock.now(),
    }


def complete(
    uow: UnitOfWork,
    actor: Actor,
    s: Scope,
    p: Plan,
    row: dict[str, Any],
    *,
    draft_id: int | None = None,
    reserved: bool = False,
    counter: Move | None = None,
) -> int:
    """Make the move done: balances, valuation, ledger entry, the move row."""
    if p.source.internal:
        take_out(uow, s, p, reserved=reserved, reserve_only=False, reason=row.get("reason"))
    if p.destination.internal:
        repo.add_to_balance(uow.conn, balance_key(s, p, p.destination), p.quantity)
    valuing = valuation.plan(
        uow,
        s,
        p.product,
        p.category,
        p.way,
        p.quantity,
        unit_cost=row.get("unit_cost"),
        counter_value=counter.value if counter else None,
        first_layer=counter.id if counter else None,
    )
    entry_id = None
    if valuing is not None:
        narration = (
            f"{p.kind.value} {p.quantity} {p.product.sku} {p.source.code} -> {p.destination.code}"
        )
        entry_id = valuation.post(
            uow, actor, s, p.category, p.kind, valuing, p.day, narration, row.get("reference")
        )
    done = {
        **row,
        "state": MoveState.done.value,
        "unit_cost": valuing.unit_cost if valuing else row.get("unit_cost"),
        "value": valuing.value if valuing else None,
        "entry_id": entry_id,
        "reserved": False,
        "done_at": clock.now(),
    }
    if draft_id is None:
        move_id = repo.insert_move(uow.conn, done)
    else:
        move_id = draft_id
        repo.update_move(
            uow.conn,
            move_id,
            {
                k: done[k]
                for k in (
                    "state",
                    "unit_cost",
                    "value",
                    "entry_id",
                    "reserved",
                    "done_at",
                    "reason",
                )
            },
        )
    if valuing is not None:
        valuation.apply(uow, s, p.product, valuing, move_id)
    return move_id


def record(
    uow: UnitOfWork, actor: Actor, s: Scope, action: str, move: Move, before: Move | None = None
) -> None:
    audit.record(
        uow,
        actor,
        f"inventory.move.{action}",
        "stock_move",
        f"{s.company.code}:{move.id}",
        before=_snapshot(before) if before else None,
        after=_snapshot(move),
    )
    publish(
        uow,
        DomainEvent(
            f"inventory.move_{action}",
            {"company": s.company.code, "move_id": move.id, "product": move.product},
        ),
    )


def _snapshot(move: Move) -> dict[str, object]:
    return {
        "kind": move.kind.value,
        "state": move.state.value,
        "product": move.product,
        "quantity": move.quantity,
        "from": move.source,
        "to": move.destination,
        "lot": move.lot,
        "unit_cost": move.unit_cost,
        "value": move.value,
        "date": move.date,
        "reason": move.reason,
        "counter_of": move.counter_of,
        "entry_id": move.entry_id,
    }


def shown(s: Scope, move: Move) -> Move:
    """*move* with its value in the company currency's places (stored with 6)."""
    if move.value is None:
        return move
    return replace(move, value=quantize(move.value, s.places))


def load(uow: UnitOfWork, s: Scope, move_id: int, *, lock: bool = False) -> tuple[Move, Any]:
    found = repo.get_move(uow.conn, s.id, move_id, lock=lock)
    if found is None:
        raise MoveNotFound(f"there is no stock move {move_id}")
    return shown(s, found[0]), found[1]


def make_move_within(
    uow: UnitOfWork, actor: Actor, s: Scope, req: MoveRequest, *, done: bool = True
) -> Move:
    """:func:`move_stock` inside an open unit of work (for other use cases of the
    inventory: a product's opening quantity, a stock count)."""
    # No ensure_defaults here: a product exists, so its company's defaults do too.
    p = _plan(uow, s, req)
    row = move_row(s, p, req, actor)
    if done:
        move_id = complete(uow, actor, s, p, row)
        action = "done"
    else:
        reserves = p.source.internal
        if reserves:
            take_out(uow, s, p, reserved=False, reserve_only=True, reason=req.reason)
        move_id = repo.insert_move(
            uow.conn, {**row, "state": MoveState.draft.value, "reserved": reserves}
        )
        action = "draft"
    move, _ = load(uow, s, move_id)
    record(uow, actor, s, action, move)
    return move


@use_case
def move_stock(
    uow: UnitOfWork, actor: Actor, company: str | None, request: MoveRequest, *, done: bool = True
) -> Move:
    """Make a stock move, done at once (the default) or as a draft. A draft out of a
    stock location reserves its quantity there (available = on hand - reserved), under
    a row lock, so two sessions cannot reserve the same last units."""
    actor.require(WRITE_MOVE)
    with uow:
        move = make_move_within(uow, actor, scope(uow, company), request, done=done)
        uow.commit()
    return move


def get_move(uow: UnitOfWork, actor: Actor, company: str | None, move_id: int) -> Move:
    actor.require(READ_MOVE)
    with uow:
        return load(uow, scope(uow, company), move_id)[0]


def list_moves(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    sku: str | None = None,
    state: str | None = None,
    limit: int = 100,
) -> list[Move]:
    """The newest moves first, of one product or all."""
    actor.require(READ_MOVE)
    with uow:
        s = scope(uow, company)
        product_id = product(uow, s, sku).id if sku else None
        found = repo.list_moves(uow.conn, s.id, product_id=product_id, state=state, limit=limit)
    return [shown(s, move) for move in found]
