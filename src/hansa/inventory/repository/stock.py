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

from hansa.db.ids import new_ids
from hansa.db.prepared import Prepared
from hansa.db.types import exact_sum
from hansa.db.upsert import add_on_conflict
from hansa.inventory.domain.moves import Move, MoveKind, MoveState
from hansa.inventory.domain.products import plain, price_shown
from hansa.inventory.tables import (
    balances,
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


# The statements every done move runs, compiled once and sent straight to the driver
# (see hansa.db.prepared).
_INSERT_MOVE = Prepared(moves.insert().returning(moves.c.id))
_INSERT_MOVES = Prepared(moves.insert())
_BALANCE_KEY = sa.and_(
    balances.c.company_id == sa.bindparam("k_company"),
    balances.c.product_id == sa.bindparam("k_product"),
    balances.c.location_id == sa.bindparam("k_location"),
    balances.c.lot_key == sa.bindparam("k_lot"),
)
_LOCK_BALANCE = Prepared(
    sa.select(balances.c.quantity, balances.c.reserved).where(_BALANCE_KEY).with_for_update()
)


def insert_move(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(_INSERT_MOVE.run(conn, values)[0][0])


def insert_moves(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert moves whose ids were taken already (rows with the same keys)."""
    _INSERT_MOVES.run_many(conn, rows)


def new_move_ids(conn: sa.Connection, count: int) -> list[int]:
    return new_ids(conn, moves, count)


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
    rows = _LOCK_BALANCE.run(
        conn,
        {
            "k_company": key.company_id,
            "k_product": key.product_id,
            "k_location": key.location_id,
            "k_lot": key.lot_key,
        },
    )
    return (ZERO, ZERO) if not rows else (plain(rows[0][0]), plain(rows[0][1]))


def lock_balances(
    conn: sa.Connection, keys: Sequence[BalanceKey]
) -> dict[BalanceKey, tuple[Decimal, Decimal]]:
    """:func:`lock_balance` of many keys in one query (rows locked in key order); a key
    without a row is left out."""
    wanted = sorted({(k.company_id, k.product_id, k.location_id, k.lot_key) for k in keys})
    columns = (balances.c.company_id, balances.c.product_id, balances.c.location_id)
    query = (
        sa.select(*columns, balances.c.lot_key, balances.c.quantity, balances.c.reserved)
        .where(sa.tuple_(*columns, balances.c.lot_key).in_(wanted))
        .order_by(*columns, balances.c.lot_key)
        .with_for_update()
    )
    return (
        {
            BalanceKey(r[0], r[1], r[2], r[3]): (plain(r.quantity), plain(r.reserved))
            for r in conn.execute(query)
        }
        if wanted
        else {}
    )


def add_to_balance(
    conn: sa.Connection, key: BalanceKey, quantity: Decimal, reserved: Decimal = ZERO
) -> None:
    add_to_balances(conn, [(key, quantity, reserved)])


def add_to_balances(
    conn: sa.Connection, changes: Sequence[tuple[BalanceKey, Decimal, Decimal]]
) -> None:
    """Add (on hand, reserved) to each key's balance, in one executemany."""
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
            for key, quantity, reserved in changes
        ],
        ("company_id", "product_id", "location_id", "lot_key"),
        ("quantity", "reserved"),
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
