"""Stock levels: counting (set on hand to what was counted), on hand by location and
lot, the product list with quantities and margins, low stock, and the valuation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hansa import ledger
from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.moves import Move, MoveKind
from hansa.inventory.domain.products import Product, plain
from hansa.inventory.errors import BadInventoryInput
from hansa.inventory.repository import catalog, sites
from hansa.inventory.repository import stock as repo
from hansa.inventory.repository.stock import BalanceKey
from hansa.inventory.service.moves import MoveRequest, make_move_within
from hansa.inventory.service.scope import (
    READ_PRODUCT,
    READ_VALUATION,
    WRITE_MOVE,
    Scope,
    default_stock,
    ensure_defaults,
    location,
    product,
    scope,
)
from hansa.kernel.actor import Actor
from hansa.kernel.money import Money, quantize

ZERO = Decimal(0)


def count_within(
    uow: UnitOfWork,
    actor: Actor,
    s: Scope,
    sku: str,
    counted: Decimal,
    *,
    where: str | None = None,
    lot: str | None = None,
    reason: str,
    unit_cost: Decimal | None = None,
    day: date | None = None,
) -> Move | None:
    """Bring on hand of *sku* at *where* (main stock by default) to *counted* with an
    adjustment move of the difference; None when the count matches."""
    if counted < 0:
        raise BadInventoryInput(
            f"a count cannot be negative ({counted})", code="inventory.bad_count"
        )
    ensure_defaults(uow, s)
    item = product(uow, s, sku)
    place = location(uow, s, where) if where else default_stock(uow, s)
    lot_found = sites.find_lot(uow.conn, item.id, lot) if lot else None
    key = BalanceKey(s.id, item.id, place.id, lot_found.id if lot_found else 0)
    on_hand, _ = repo.lock_balance(uow.conn, key)
    difference = counted - on_hand
    if difference == 0:
        return None
    gain = difference > 0
    request = MoveRequest(
        MoveKind.adjustment,
        sku,
        abs(difference),
        source="ADJUSTMENT" if gain else place.code,
        destination=place.code if gain else "ADJUSTMENT",
        lot=lot,
        unit_cost=unit_cost if gain else None,
        date=day,
        reason=reason,
    )
    return make_move_within(uow, actor, s, request)


@use_case
def count_stock(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    sku: str,
    counted: Decimal,
    *,
    where: str | None = None,
    lot: str | None = None,
    reason: str = "stock count",
    unit_cost: Decimal | None = None,
    day: date | None = None,
) -> Move | None:
    """Set on hand to a counted quantity: the difference is an adjustment move, valued
    (a gain at *unit_cost*, else the current average or catalog cost; a loss by the
    category's method) and posted against the adjustment account."""
    actor.require(WRITE_MOVE)
    with uow:
        move = count_within(
            uow,
            actor,
            scope(uow, company),
            sku,
            counted,
            where=where,
            lot=lot,
            reason=reason,
            unit_cost=unit_cost,
            day=day,
        )
        uow.commit()
    return move


@dataclass(frozen=True)
class StockLine:
    sku: str
    location: str
    lot: str | None
    expiry: date | None
    on_hand: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def on_hand(
    uow: UnitOfWork, actor: Actor, company: str | None, sku: str | None = None
) -> list[StockLine]:
    """On hand, reserved and available per product, stock location and lot."""
    actor.require(READ_PRODUCT)
    with uow:
        s = scope(uow, company)
        product_id = product(uow, s, sku).id if sku else None
        rows = repo.stock_rows(uow.conn, s.id, product_id)
    return [
        StockLine(r.sku, r.location, r.lot, r.expiry, plain(r.quantity), plain(r.reserved))
        for r in rows
    ]


@dataclass(frozen=True)
class ProductLine:
    product: Product
    on_hand: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def low(self) -> bool:
        return self.product.reorder_min is not None and self.on_hand <= self.product.reorder_min

    @property
    def status(self) -> str:
        if not self.product.active:
            return "archived"
        if self.on_hand <= 0:
            return "out of stock"
        return "low stock" if self.low else "in stock"


SORT_KEYS = {
    "sku": lambda line: line.product.sku,
    "name": lambda line: line.product.name.lower(),
    "price": lambda line: line.product.price,
    "cost": lambda line: line.product.cost,
    "quantity": lambda line: line.on_hand,
}


def list_products(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    category: str | None = None,
    search: str | None = None,
    sort_by: str = "sku",
    descending: bool = False,
    include_archived: bool = False,
) -> list[ProductLine]:
    """Products with their stock, filtered and sorted (sku, name, price, cost or
    quantity); the interfaces page the result."""
    actor.require(READ_PRODUCT)
    if sort_by not in SORT_KEYS:
        raise BadInventoryInput(
            f"cannot sort by {sort_by!r}: use {', '.join(SORT_KEYS)}", code="inventory.bad_sort"
        )
    with uow:
        s = scope(uow, company)
        rows = catalog.product_rows(
            uow.conn, s.id, category=category, search=search, include_archived=include_archived
        )
    lines = [ProductLine(p, plain(q), plain(r)) for p, q, r in rows]
    return sorted(lines, key=SORT_KEYS[sort_by], reverse=descending)


def low_stock(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    threshold: Decimal | None = None,
    category: str | None = None,
) -> list[ProductLine]:
    """Products at or under *threshold* on hand, or (without one) under their reorder
    minimum."""
    lines = list_products(uow, actor, company, category=category, sort_by="quantity")
    if threshold is not None:
        return [line for line in lines if line.on_hand <= threshold]
    return [line for line in lines if line.low]


@dataclass(frozen=True)
class ValuationLine:
    sku: str
    category: str
    account: str
    quantity: Decimal
    value: Decimal

    @property
    def unit_cost(self) -> Decimal | None:
        return (self.value / self.quantity).quantize(Decimal("0.0001")) if self.quantity else None


@dataclass(frozen=True)
class WarehouseValue:
    """A product's stock in one warehouse, valued at its share of the product's value
    (valuation is per product over all locations: a unit's cost does not depend on
    where it lies)."""

    sku: str
    warehouse: str
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class Valuation:
    lines: tuple[ValuationLine, ...]
    accounts: dict[str, tuple[Decimal, Decimal]]  # inventory account -> (stock value, ledger)
    warehouses: tuple[WarehouseValue, ...] = ()

    @property
    def ties(self) -> bool:
        return all(stock == books for stock, books in self.accounts.values())


def valuation(uow: UnitOfWork, actor: Actor, company: str | None) -> Valuation:
    """The value of the stock per product, and per inventory account beside the
    account's balance in the ledger (they are equal; ``hansa check`` proves it)."""
    actor.require(READ_VALUATION)
    with uow:
        s = scope(uow, company)
        categories = {c.id: c for c in catalog.find_categories(uow.conn, s.id).values()}
        rows = repo.valuation_rows(uow.conn, s.id)
        books = ledger.account_totals(uow.conn, s.id)
        held = repo.warehouse_quantities(uow.conn, s.id)
    lines = tuple(
        ValuationLine(
            r.sku,
            categories[r.category_id].code,
            categories[r.category_id].accounts.inventory,
            plain(r.quantity),
            quantize(r.value, s.places),
        )
        for r in rows
        if r.quantity != 0 or r.value != 0
    )
    accounts: dict[str, tuple[Decimal, Decimal]] = {}
    for code in sorted({c.accounts.inventory for c in categories.values()}):
        stock = sum((ln.value for ln in lines if ln.account == code), ZERO)
        accounts[code] = (stock, quantize(books.get((s.id, code), ZERO), s.places))
    return Valuation(lines, accounts, _by_warehouse(s, rows, held))


def _by_warehouse(s: Scope, rows: list[Any], held: list[Any]) -> tuple[WarehouseValue, ...]:
    """Each product's value split over its warehouses by quantity, the parts adding up
    to the product's value exactly (largest remainders get the leftover cents). A
    product with stock below zero somewhere is not split."""
    places: dict[int, list[Any]] = {}
    for r in held:
        if r.quantity != 0:
            places.setdefault(int(r.product_id), []).append(r)
    result: list[WarehouseValue] = []
    for r in rows:
        where = places.get(int(r.id), [])
        if not where or any(w.quantity < 0 for w in where):
            continue
        parts = Money.of(r.value, s.currency).allocate([w.quantity for w in where])
        result.extend(
            WarehouseValue(r.sku, w.warehouse, plain(w.quantity), part.amount)
            for w, part in zip(where, parts, strict=True)
        )
    return tuple(result)
