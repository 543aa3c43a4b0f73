"""Moves, the maintained on-hand balances, valuations and FIFO layers.

Rows a done move changes are read ``FOR UPDATE`` on PostgreSQL (SQLite's writer holds
the whole database from ``BEGIN IMMEDIATE``), so two sessions reserving or issuing the
last units queue on the row instead of both seeing it free.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.db.upsert import add_on_conflict
from hansa.inventory.domain.moves import Move, MoveKind, MoveState
from hansa.inventory.domain.products import plain, price_shown
from hansa.inventory.domain.valuation import Layer, Stock
from hansa.inventory.tables import (
    balances,
    layers,
    locations,
    lots,
    moves,
    products,
    valuations,
    warehouses,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class BalanceKey:
    company_id: int
    product_id: int
    location_id: int
    lot_key: int  # the lot id, 0 without a lot

    def where(self) -> sa.ColumnElement[bool]:
        return sa.and_(
            balances.c.company_id == self.company_id,
            balances.c.product_id == self.product_id,
            balances.c.location_id == self.location_id,
            balances.c.lot_key == self.lot_key,
        )


def insert_move(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(moves.insert().values(**values).returning(moves.c.id)).scalar_one())


def update_move(conn: sa.Connection, move_id: int, values: dict[str, Any]) -> None:
    conn.execute(moves.update().where(moves.c.id == move_id).values(**values))


@functools.cache  # building the select costs more than running it
def _moves_query() -> sa.Select[Any]:
    src, dst = locations.alias("src"), locations.alias("dst")
    return (
        sa.select(
            moves,
            products.c.sku,
            src.c.code.label("source"),
            dst.c.code.label("destination"),
            lots.c.code.label("lot"),
        )
        .join(products, products.c.id == moves.c.product_id)
        .join(src, src.c.id == moves.c.source_id)
        .join(dst, dst.c.id == moves.c.destination_id)
        .outerjoin(lots, lots.c.id == moves.c.lot_id)
    )


def _move(r: Any) -> Move:
    return Move(
        r.id,
        r.company_id,
        MoveKind(r.kind),
        MoveState(r.state),
        r.sku,
        plain(r.quantity),
        r.source,
        r.destination,
        r.lot,
        None if r.unit_cost is None else price_shown(r.unit_cost),
        r.value,
        r.date,
        r.reference,
        r.partner,
        r.reason,
        r.counter_of,
        r.entry_id,
        bool(r.reserved),
        r.created_by,
        r.created_at,
    )


def get_move(
    conn: sa.Connection, company_id: int, move_id: int, *, lock: bool = False
) -> tuple[Move, Any] | None:
    """The move and its raw row (ids of product, locations and lot); with *lock*, the
    move row stays locked until the transaction ends (two sessions completing or
    cancelling the same draft queue)."""
    query = _moves_query().where(moves.c.company_id == company_id, moves.c.id == move_id)
    if lock:
        query = query.with_for_update(of=moves)
    row = conn.execute(query).first()
    return None if row is None else (_move(row), row)


def list_moves(
    conn: sa.Connection,
    company_id: int,
    *,
    product_id: int | None = None,
    state: str | None = None,
    limit: int = 100,
) -> list[Move]:
    query = _moves_query().where(moves.c.company_id == company_id)
    if product_id is not None:
        query = query.where(moves.c.product_id == product_id)
    if state is not None:
        query = query.where(moves.c.state == state)
    return [_move(r) for r in conn.execute(query.order_by(moves.c.id.desc()).limit(limit))]


def lock_balance(conn: sa.Connection, key: BalanceKey) -> tuple[Decimal, Decimal]:
    """(on hand, reserved) of *key*, the row locked until the transaction ends."""
    row = conn.execute(
        sa.select(balances.c.quantity, balances.c.reserved).where(key.where()).with_for_update()
    ).first()
    return (ZERO, ZERO) if row is None else (plain(row.quantity), plain(row.reserved))


def add_to_balance(
    conn: sa.Connection, key: BalanceKey, quantity: Decimal, reserved: Decimal = ZERO
) -> None:
    add_on_conflict(
        conn,
        balances,
        [
            {
                "company_id": key.company_id,
                "product_id": key.product_id,
                "location_id": key.location_id,
                "lot_key": key.lot_key,
                "quantity": quantity,
                "reserved": reserved,
            }
        ],
        ("company_id", "product_id", "location_id", "lot_key"),
        ("quantity", "reserved"),
    )


def lock_valuation(conn: sa.Connection, company_id: int, product_id: int) -> Stock:
    where = sa.and_(valuations.c.company_id == company_id, valuations.c.product_id == product_id)
    row = conn.execute(
        sa.select(valuations.c.quantity, valuations.c.value).where(where).with_for_update()
    ).first()
    if row is None:
        conn.execute(
            valuations.insert().values(
                company_id=company_id, product_id=product_id, quantity=ZERO, value=ZERO
            )
        )
        return Stock(ZERO, ZERO)
    return Stock(row.quantity, row.value)


def set_valuation(conn: sa.Connection, company_id: int, product_id: int, stock: Stock) -> None:
    conn.execute(
        valuations.update()
        .where(valuations.c.company_id == company_id, valuations.c.product_id == product_id)
        .values(quantity=stock.quantity, value=stock.value)
    )


def fifo_layers(conn: sa.Connection, company_id: int, product_id: int) -> list[Layer]:
    query = (
        sa.select(layers.c.move_id, layers.c.quantity, layers.c.value)
        .where(layers.c.company_id == company_id, layers.c.product_id == product_id)
        .order_by(layers.c.move_id)
    )
    return [Layer(r.move_id, r.quantity, r.value) for r in conn.execute(query)]


def replace_layers(
    conn: sa.Connection,
    company_id: int,
    product_id: int,
    before: Sequence[Layer],
    after: Sequence[Layer],
) -> None:
    """Write the changes from *before* to *after* (layers keyed by their move)."""
    old = {layer.move_id: layer for layer in before}
    new = {layer.move_id: layer for layer in after}
    key = sa.and_(layers.c.company_id == company_id, layers.c.product_id == product_id)
    gone = [m for m in old if m not in new]
    if gone:
        conn.execute(layers.delete().where(key, layers.c.move_id.in_(gone)))
    for move_id, layer in new.items():
        if move_id not in old:
            conn.execute(
                layers.insert().values(
                    company_id=company_id,
                    product_id=product_id,
                    move_id=move_id,
                    quantity=layer.quantity,
                    value=layer.value,
                )
            )
        elif old[move_id] != layer:
            conn.execute(
                layers.update()
                .where(key, layers.c.move_id == move_id)
                .values(quantity=layer.quantity, value=layer.value)
            )


def stock_rows(
    conn: sa.Connection, company_id: int, product_id: int | None = None
) -> list[sa.Row[Any]]:
    """Non-zero balances: sku, location, lot, expiry, on hand, reserved."""
    query = (
        sa.select(
            products.c.sku,
            locations.c.code.label("location"),
            lots.c.code.label("lot"),
            lots.c.expiry,
            balances.c.quantity,
            balances.c.reserved,
            balances.c.lot_key,
            balances.c.location_id,
        )
        .join(products, products.c.id == balances.c.product_id)
        .join(locations, locations.c.id == balances.c.location_id)
        .outerjoin(lots, lots.c.id == balances.c.lot_key)
        .where(
            balances.c.company_id == company_id,
            sa.or_(balances.c.quantity != 0, balances.c.reserved != 0),
        )
        .order_by(products.c.sku, locations.c.code, lots.c.code)
    )
    if product_id is not None:
        query = query.where(balances.c.product_id == product_id)
    return list(conn.execute(query))


def valuation_rows(conn: sa.Connection, company_id: int) -> list[sa.Row[Any]]:
    return list(
        conn.execute(
            sa.select(
                products.c.id,
                products.c.sku,
                products.c.category_id,
                valuations.c.quantity,
                valuations.c.value,
            )
            .join(products, products.c.id == valuations.c.product_id)
            .where(valuations.c.company_id == company_id)
            .order_by(products.c.sku)
        )
    )


def countered(conn: sa.Connection, company_id: int, move_id: int) -> bool:
    query = sa.select(moves.c.id).where(
        moves.c.company_id == company_id, moves.c.counter_of == move_id, moves.c.state == "done"
    )
    return conn.execute(query.limit(1)).first() is not None


def lot_quantities(
    conn: sa.Connection, company_id: int, lot_ids: Sequence[int]
) -> dict[int, Decimal]:
    if not lot_ids:
        return {}
    query = (
        sa.select(balances.c.lot_key, exact_sum(balances.c.quantity))
        .where(balances.c.company_id == company_id, balances.c.lot_key.in_(sorted(lot_ids)))
        .group_by(balances.c.lot_key)
    )
    return {int(r[0]): r[1] for r in conn.execute(query)}


def incoming(conn: sa.Connection, company_id: int) -> dict[int, Decimal]:
    """Per product, the quantity of draft receipts (ordered, not yet received)."""
    query = (
        sa.select(moves.c.product_id, exact_sum(moves.c.quantity))
        .where(
            moves.c.company_id == company_id, moves.c.state == "draft", moves.c.kind == "receipt"
        )
        .group_by(moves.c.product_id)
    )
    return {int(r[0]): r[1] for r in conn.execute(query)}


def warehouse_quantities(conn: sa.Connection, company_id: int) -> list[sa.Row[Any]]:
    """On hand per product and warehouse: product_id, warehouse code, quantity."""
    query = (
        sa.select(
            balances.c.product_id,
            warehouses.c.code.label("warehouse"),
            exact_sum(balances.c.quantity).label("quantity"),
        )
        .join(locations, locations.c.id == balances.c.location_id)
        .join(warehouses, warehouses.c.id == locations.c.warehouse_id)
        .where(balances.c.company_id == company_id)
        .group_by(balances.c.product_id, warehouses.c.code)
        .order_by(balances.c.product_id, warehouses.c.code)
    )
    return list(conn.execute(query))
