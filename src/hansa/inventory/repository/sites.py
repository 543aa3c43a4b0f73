"""Warehouses, locations and lots."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from hansa.db.prepared import Prepared
from hansa.inventory.domain.locations import Location, LocationKind, Warehouse
from hansa.inventory.domain.lots import Lot
from hansa.inventory.tables import locations, lots, products, warehouses


def insert_warehouse(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(warehouses.insert().values(**values).returning(warehouses.c.id)).scalar_one()
    )


def find_warehouses(conn: sa.Connection, company_id: int) -> dict[str, Warehouse]:
    query = (
        sa.select(warehouses)
        .where(warehouses.c.company_id == company_id)
        .order_by(warehouses.c.code)
    )
    return {
        r.code: Warehouse(r.id, r.company_id, r.code, r.name, bool(r.active))
        for r in conn.execute(query)
    }


def insert_location(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(locations.insert().values(**values).returning(locations.c.id)).scalar_one()
    )


@functools.cache  # building the select costs more than running it
def _locations_query() -> sa.Select[Any]:
    return sa.select(locations, warehouses.c.code.label("warehouse")).outerjoin(
        warehouses, warehouses.c.id == locations.c.warehouse_id
    )


def _location(r: Any) -> Location:
    return Location(
        r.id,
        r.company_id,
        r.code,
        r.name,
        LocationKind(r.kind),
        r.warehouse,
        r.parent_id,
        bool(r.active),
    )


def find_locations(
    conn: sa.Connection, company_id: int, codes: Iterable[str] | None = None
) -> dict[str, Location]:
    query = _locations_query().where(locations.c.company_id == company_id)
    if codes is not None:
        query = query.where(locations.c.code.in_(sorted(set(codes))))
    return {r.code: _location(r) for r in conn.execute(query.order_by(locations.c.code))}


_BY_CODE_QUERY = _locations_query().where(
    locations.c.company_id == sa.bindparam("k_company"), locations.c.code == sa.bindparam("k_code")
)
_BY_CODE = Prepared(_BY_CODE_QUERY)
_BY_CODE_NAMES = [str(c.key) for c in _BY_CODE_QUERY.selected_columns]


def locations_by_code(
    conn: sa.Connection, company_id: int, codes: Iterable[str]
) -> dict[str, Location]:
    """The locations of *codes* that exist, by a prepared statement per code: a stock
    move names two or three, and Core's IN costs more than the queries."""
    found = {}
    for code in sorted(set(codes)):
        for row in _BY_CODE.run(conn, {"k_company": company_id, "k_code": code}):
            found[code] = _location(SimpleNamespace(**dict(zip(_BY_CODE_NAMES, row, strict=True))))
    return found


def locations_by_id(conn: sa.Connection, ids: Iterable[int]) -> dict[int, Location]:
    query = _locations_query().where(locations.c.id.in_(sorted(set(ids))))
    return {r.id: _location(r) for r in conn.execute(query)}


def _lot(r: Any) -> Lot:
    return Lot(r.id, r.company_id, r.sku, r.code, r.expiry)


@functools.cache  # building the select costs more than running it
def _lots_query() -> sa.Select[Any]:
    return sa.select(lots, products.c.sku).join(products, products.c.id == lots.c.product_id)


def find_lot(conn: sa.Connection, product_id: int, code: str) -> Lot | None:
    row = conn.execute(
        _lots_query().where(lots.c.product_id == product_id, lots.c.code == code)
    ).first()
    return None if row is None else _lot(row)


def lots_by_id(conn: sa.Connection, ids: Iterable[int]) -> dict[int, Lot]:
    return {r.id: _lot(r) for r in conn.execute(_lots_query().where(lots.c.id.in_(sorted(ids))))}


def insert_lot(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(lots.insert().values(**values).returning(lots.c.id)).scalar_one())


def lots_expiring(conn: sa.Connection, company_id: int, until: date) -> list[Lot]:
    query = (
        _lots_query()
        .where(lots.c.company_id == company_id, lots.c.expiry.is_not(None), lots.c.expiry <= until)
        .order_by(lots.c.expiry, products.c.sku, lots.c.code)
    )
    return [_lot(r) for r in conn.execute(query)]
