"""Consumption values, products' planning data (ABC class, purchase unit), count
sheets, and the stock figures replenishment needs (per warehouse)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.inventory.domain.counting import CountLine, CountSheet, SheetState
from hansa.inventory.domain.locations import LocationKind
from hansa.inventory.domain.products import plain
from hansa.inventory.tables import balances, locations, lots, moves, products, units, warehouses
from hansa.inventory.tables.counting import count_lines, count_sheets, product_plans

# Where consumed stock goes: its value out there is what ABC ranks by.
CONSUMERS = (LocationKind.customer.value, LocationKind.production.value, LocationKind.scrap.value)


def consumption(conn: sa.Connection, company_id: int, start: date, end: date) -> dict[int, Decimal]:
    """Per product, the value of done moves out of stock to customers, production or
    scrap from *start* to *end*, less the value of those that came back (returns)."""
    src, dst = locations.alias("src"), locations.alias("dst")
    query = (
        sa.select(moves.c.product_id, dst.c.kind, exact_sum(moves.c.value))
        .join(src, src.c.id == moves.c.source_id)
        .join(dst, dst.c.id == moves.c.destination_id)
        .where(
            moves.c.company_id == company_id,
            moves.c.state == "done",
            moves.c.date.between(start, end),
            sa.or_(
                sa.and_(src.c.kind == "internal", dst.c.kind.in_(CONSUMERS)),
                sa.and_(dst.c.kind == "internal", src.c.kind.in_(CONSUMERS)),
            ),
        )
        .group_by(moves.c.product_id, dst.c.kind)
    )
    found: dict[int, Decimal] = {}
    for product_id, kind, value in conn.execute(query):
        signed = -value if kind == "internal" else value
        found[int(product_id)] = found.get(int(product_id), Decimal(0)) + signed
    return found


def plans(conn: sa.Connection, company_id: int) -> dict[int, Any]:
    """Per product id, its row of planning data (abc_class, abc_value, abc_date,
    purchase_unit)."""
    query = sa.select(product_plans).where(product_plans.c.company_id == company_id)
    return {int(r.product_id): r for r in conn.execute(query)}


def set_plan(conn: sa.Connection, company_id: int, product_id: int, values: dict[str, Any]) -> None:
    key = sa.and_(
        product_plans.c.company_id == company_id, product_plans.c.product_id == product_id
    )
    if conn.execute(product_plans.update().where(key).values(**values)).rowcount == 0:
        conn.execute(
            product_plans.insert().values(company_id=company_id, product_id=product_id, **values)
        )


def packs(conn: sa.Connection, company_id: int) -> dict[int, tuple[str, Decimal]]:
    """Per product bought in a purchase unit: (the unit, base units in one)."""
    query = (
        sa.select(product_plans.c.product_id, units.c.name, units.c.factor)
        .join(
            units,
            sa.and_(
                units.c.product_id == product_plans.c.product_id,
                units.c.name == product_plans.c.purchase_unit,
            ),
        )
        .where(product_plans.c.company_id == company_id)
    )
    return {int(r.product_id): (r.name, plain(r.factor)) for r in conn.execute(query)}


def last_counted(conn: sa.Connection, company_id: int) -> dict[tuple[int, int], date]:
    """Per (product id, warehouse id), the date of its last posted count."""
    query = (
        sa.select(
            count_lines.c.product_id,
            locations.c.warehouse_id,
            sa.func.max(count_sheets.c.count_date),
        )
        .join(count_sheets, count_sheets.c.id == count_lines.c.sheet_id)
        .join(locations, locations.c.id == count_lines.c.location_id)
        .where(count_lines.c.company_id == company_id, count_sheets.c.state == "posted")
        .group_by(count_lines.c.product_id, locations.c.warehouse_id)
    )
    return {(int(p), int(w)): d for p, w, d in conn.execute(query)}


def lock_warehouses(conn: sa.Connection, company_id: int) -> None:
    """Lock the company's warehouse rows until the transaction ends, so that two sessions
    making count sheets queue (the second sees the first one's lines as open)."""
    query = sa.select(warehouses.c.id).where(warehouses.c.company_id == company_id)
    conn.execute(query.with_for_update()).all()


def on_open_sheets(conn: sa.Connection, company_id: int) -> set[tuple[int, int]]:
    """The (product id, warehouse id) pairs already on an open count sheet."""
    query = (
        sa.select(count_lines.c.product_id, locations.c.warehouse_id)
        .distinct()
        .join(count_sheets, count_sheets.c.id == count_lines.c.sheet_id)
        .join(locations, locations.c.id == count_lines.c.location_id)
        .where(count_lines.c.company_id == company_id, count_sheets.c.state == "open")
    )
    return {(int(p), int(w)) for p, w in conn.execute(query)}


def stock_to_count(
    conn: sa.Connection, company_id: int, warehouse_id: int | None
) -> list[sa.Row[Any]]:
    """Balances holding stock (of active products), with product, location, warehouse
    and lot ids, ordered by SKU, location and lot."""
    query = (
        sa.select(
            balances.c.product_id,
            balances.c.location_id,
            locations.c.warehouse_id,
            lots.c.id.label("lot_id"),
            balances.c.quantity,
        )
        .join(products, products.c.id == balances.c.product_id)
        .join(locations, locations.c.id == balances.c.location_id)
        .outerjoin(lots, lots.c.id == balances.c.lot_key)
        .where(
            balances.c.company_id == company_id,
            balances.c.quantity != 0,
            products.c.active.is_(True),
        )
        .order_by(products.c.sku, locations.c.code, lots.c.code)
    )
    if warehouse_id is not None:
        query = query.where(locations.c.warehouse_id == warehouse_id)
    return list(conn.execute(query))


def insert_sheet(
    conn: sa.Connection, values: dict[str, Any], lines: Sequence[dict[str, Any]]
) -> int:
    sheet_id = int(
        conn.execute(
            count_sheets.insert().values(**values).returning(count_sheets.c.id)
        ).scalar_one()
    )
    if lines:
        conn.execute(count_lines.insert(), [{**line, "sheet_id": sheet_id} for line in lines])
    return sheet_id


def update_sheet(conn: sa.Connection, sheet_id: int, values: dict[str, Any]) -> None:
    conn.execute(count_sheets.update().where(count_sheets.c.id == sheet_id).values(**values))


def update_line(conn: sa.Connection, sheet_id: int, number: int, values: dict[str, Any]) -> None:
    conn.execute(
        count_lines.update()
        .where(count_lines.c.sheet_id == sheet_id, count_lines.c.number == number)
        .values(**values)
    )


def _sheet(r: Any, lines: Iterable[CountLine] = ()) -> CountSheet:
    return CountSheet(
        r.id,
        r.company_id,
        r.warehouse,
        r.count_date,
        SheetState(r.state),
        r.created_by,
        r.created_at,
        r.posted_by,
        r.posted_at,
        tuple(lines),
    )


def _lines(conn: sa.Connection, sheet_ids: Sequence[int]) -> dict[int, list[CountLine]]:
    query = (
        sa.select(
            count_lines,
            products.c.sku,
            products.c.name,
            product_plans.c.abc_class,
            locations.c.code.label("location"),
            lots.c.code.label("lot"),
        )
        .join(products, products.c.id == count_lines.c.product_id)
        .join(locations, locations.c.id == count_lines.c.location_id)
        .outerjoin(lots, lots.c.id == count_lines.c.lot_id)
        .outerjoin(
            product_plans,
            sa.and_(
                product_plans.c.company_id == count_lines.c.company_id,
                product_plans.c.product_id == count_lines.c.product_id,
            ),
        )
        .where(count_lines.c.sheet_id.in_(sorted(sheet_ids)))
        .order_by(count_lines.c.sheet_id, count_lines.c.number)
    )
    found: dict[int, list[CountLine]] = {i: [] for i in sheet_ids}
    for r in conn.execute(query):
        found[r.sheet_id].append(
            CountLine(
                r.number,
                r.sku,
                r.name,
                r.abc_class,
                r.location,
                r.lot,
                plain(r.expected),
                None if r.counted is None else plain(r.counted),
                r.move_id,
            )
        )
    return found


def _sheets_query() -> sa.Select[Any]:
    return sa.select(count_sheets, warehouses.c.code.label("warehouse")).outerjoin(
        warehouses, warehouses.c.id == count_sheets.c.warehouse_id
    )


def get_sheet(
    conn: sa.Connection, company_id: int, sheet_id: int, *, lock: bool = False
) -> CountSheet | None:
    """A sheet with its lines; with *lock*, the sheet row stays locked until the
    transaction ends (two sessions posting the same sheet queue)."""
    query = _sheets_query().where(
        count_sheets.c.company_id == company_id, count_sheets.c.id == sheet_id
    )
    if lock:
        query = query.with_for_update(of=count_sheets)
    row = conn.execute(query).first()
    return None if row is None else _sheet(row, _lines(conn, [sheet_id])[sheet_id])


def list_sheets(conn: sa.Connection, company_id: int, state: str | None) -> list[CountSheet]:
    query = _sheets_query().where(count_sheets.c.company_id == company_id)
    if state is not None:
        query = query.where(count_sheets.c.state == state)
    rows = list(conn.execute(query.order_by(count_sheets.c.id.desc())))
    lines = _lines(conn, [r.id for r in rows]) if rows else {}
    return [_sheet(r, lines[r.id]) for r in rows]


def line_keys(conn: sa.Connection, sheet_id: int) -> dict[int, Any]:
    """Per line number, the ids of its product, location and lot."""
    query = sa.select(count_lines).where(count_lines.c.sheet_id == sheet_id)
    return {int(r.number): r for r in conn.execute(query)}


def stock_by_product(
    conn: sa.Connection, company_id: int, warehouse_id: int | None
) -> dict[int, tuple[Decimal, Decimal]]:
    """Per product, (on hand, reserved) in one warehouse or in all."""
    query = (
        sa.select(
            balances.c.product_id, exact_sum(balances.c.quantity), exact_sum(balances.c.reserved)
        )
        .join(locations, locations.c.id == balances.c.location_id)
        .where(balances.c.company_id == company_id)
        .group_by(balances.c.product_id)
    )
    if warehouse_id is not None:
        query = query.where(locations.c.warehouse_id == warehouse_id)
    return {int(r[0]): (plain(r[1]), plain(r[2])) for r in conn.execute(query)}


def draft_receipts(
    conn: sa.Connection, company_id: int, warehouse_id: int | None
) -> list[tuple[int, date, Decimal]]:
    """(product id, expected date, quantity) of receipts ordered, not yet received, into
    one warehouse or any."""
    query = (
        sa.select(moves.c.product_id, moves.c.date, exact_sum(moves.c.quantity))
        .join(locations, locations.c.id == moves.c.destination_id)
        .where(
            moves.c.company_id == company_id,
            moves.c.state == "draft",
            moves.c.kind == "receipt",
        )
        .group_by(moves.c.product_id, moves.c.date)
    )
    if warehouse_id is not None:
        query = query.where(locations.c.warehouse_id == warehouse_id)
    return [(int(r[0]), r[1], plain(r[2])) for r in conn.execute(query)]
