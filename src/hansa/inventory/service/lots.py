"""Lots and serial numbers: the lot a move names, expiry, first-expired-first-out."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.lots import Lot, LotStock, Pick, fefo
from hansa.inventory.domain.moves import Direction
from hansa.inventory.domain.products import Product, Tracking, check_code, check_quantity, plain
from hansa.inventory.errors import LotNotFound, MoveRuleViolation
from hansa.inventory.repository import sites
from hansa.inventory.repository import stock as repo
from hansa.inventory.service.scope import (
    READ_MOVE,
    WRITE_MOVE,
    Scope,
    ensure_defaults,
    product,
    scope,
)
from hansa.kernel import clock
from hansa.kernel.actor import Actor


def _new_lot(uow: UnitOfWork, s: Scope, item: Product, code: str, expiry: date | None) -> Lot:
    lot_id = sites.insert_lot(
        uow.conn,
        {
            "company_id": s.id,
            "product_id": item.id,
            "code": check_code(code, "lot"),
            "expiry": expiry,
        },
    )
    return Lot(lot_id, s.id, item.sku, code, expiry)


def stock_by_lot(uow: UnitOfWork, s: Scope, item: Product) -> list[LotStock]:
    rows = repo.stock_rows(uow.conn, s.id, item.id)
    found = sites.lots_by_id(uow.conn, {r.lot_key for r in rows if r.lot_key})
    return [
        LotStock(found.get(r.lot_key), r.location, r.quantity - r.reserved)
        for r in rows
        if r.quantity - r.reserved > 0
    ]


def lot_for_move(
    uow: UnitOfWork,
    s: Scope,
    item: Product,
    code: str | None,
    expiry: date | None,
    way: Direction,
    day: date,
    quantity: Decimal,
) -> Lot | None:
    """The lot a move of *item* takes: none for an untracked product; for a tracked one
    the lot named (a receipt may bring a new one, expiring *expiry* or after the
    product's shelf life). Without a name, the refusal proposes first-expired-first-out."""
    if item.tracking is Tracking.none:
        if code:
            raise MoveRuleViolation(f"{item.sku} is not tracked by lot or serial number")
        return None
    if item.tracking is Tracking.serial and quantity != 1:
        raise MoveRuleViolation(f"{item.sku} is tracked by serial number: move one unit at a time")
    if not code:
        picks = fefo(stock_by_lot(uow, s, item), quantity, day)
        proposal = ", ".join(f"{p.lot} at {p.location} ({p.quantity})" for p in picks)
        raise MoveRuleViolation(
            f"{item.sku} is tracked by {item.tracking.value}: name one with --lot"
            + (f" (first expired first out: {proposal})" if proposal else "")
        )
    found = sites.find_lot(uow.conn, item.id, code)
    if found is None:
        if way is not Direction.incoming:
            raise LotNotFound(f"{item.sku} has no lot {code!r}")
        if expiry is None and item.shelf_life_days:
            expiry = day + timedelta(days=item.shelf_life_days)
        return _new_lot(uow, s, item, code, expiry)
    held = stock_by_lot(uow, s, item) if item.tracking is Tracking.serial else []
    if way is Direction.incoming and any(ls.lot and ls.lot.id == found.id for ls in held):
        raise MoveRuleViolation(f"serial number {code} of {item.sku} is in stock already")
    return found


@use_case
def add_lot(
    uow: UnitOfWork, actor: Actor, company: str | None, sku: str, code: str, expiry: date | None
) -> Lot:
    """Register a lot (or serial number) of a tracked product before it is received."""
    actor.require(WRITE_MOVE)
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        item = product(uow, s, sku)
        if item.tracking is Tracking.none:
            raise MoveRuleViolation(f"{item.sku} is not tracked by lot or serial number")
        if sites.find_lot(uow.conn, item.id, code) is not None:
            raise MoveRuleViolation(f"{item.sku} already has a lot {code!r}")
        lot = _new_lot(uow, s, item, code, expiry)
        audit.record(
            uow,
            actor,
            "inventory.lot.create",
            "lot",
            f"{s.company.code}:{sku}:{code}",
            after={"expiry": expiry},
        )
        uow.commit()
    return lot


def expiring(
    uow: UnitOfWork, actor: Actor, company: str | None, *, within_days: int
) -> list[tuple[Lot, Decimal]]:
    """Lots expiring within *within_days* from today (and already expired ones) that
    are still in stock, soonest first, with their quantity on hand."""
    actor.require(READ_MOVE)
    with uow:
        s = scope(uow, company)
        until = clock.today() + timedelta(days=within_days)
        lots = sites.lots_expiring(uow.conn, s.id, until)
        held = repo.lot_quantities(uow.conn, s.id, [lot.id for lot in lots])
    return [(lot, plain(held[lot.id])) for lot in lots if held.get(lot.id, Decimal(0)) != 0]


def pick(
    uow: UnitOfWork, actor: Actor, company: str | None, sku: str, quantity: Decimal
) -> list[Pick]:
    """Where to take *quantity* of *sku* from: first expired, first out (expired lots
    are never proposed)."""
    actor.require(READ_MOVE)
    check_quantity(quantity)
    with uow:
        s = scope(uow, company)
        item = product(uow, s, sku)
        return fefo(stock_by_lot(uow, s, item), quantity, clock.today())
