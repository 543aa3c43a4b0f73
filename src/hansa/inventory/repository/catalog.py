"""Categories, products and their units."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from hansa.db.prepared import Prepared
from hansa.db.types import exact_sum
from hansa.db.uow import update_versioned
from hansa.inventory.domain.products import (
    Category,
    CategoryAccounts,
    Product,
    Tracking,
    Unit,
    ValuationMethod,
    plain,
    price_shown,
)
from hansa.inventory.tables import balances, categories, moves, products, units


def insert_category(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(categories.insert().values(**values).returning(categories.c.id)).scalar_one()
    )


def _category(r: Any) -> Category:
    return Category(
        r.id,
        r.company_id,
        r.code,
        r.name,
        ValuationMethod(r.valuation),
        CategoryAccounts(
            r.inventory_account,
            r.received_account,
            r.cost_of_sales_account,
            r.adjustment_account,
            r.scrap_account,
        ),
        None if r.cost_percent is None else plain(r.cost_percent),
        r.version,
    )


def find_categories(
    conn: sa.Connection, company_id: int, codes: Iterable[str] | None = None
) -> dict[str, Category]:
    query = sa.select(categories).where(categories.c.company_id == company_id)
    if codes is not None:
        query = query.where(categories.c.code.in_(sorted(set(codes))))
    return {r.code: _category(r) for r in conn.execute(query.order_by(categories.c.code))}


def update_category(conn: sa.Connection, category: Category, values: dict[str, Any]) -> None:
    update_versioned(
        conn,
        categories,
        categories.c.id == category.id,
        category.version,
        values,
        f"category {category.code}",
    )


def _product(r: Any, unit_rows: Iterable[Any] = ()) -> Product:
    return Product(
        r.id,
        r.company_id,
        r.sku,
        r.name,
        r.description,
        r.category,
        r.unit,
        price_shown(r.price),
        price_shown(r.cost),
        Tracking(r.tracking),
        r.shelf_life_days,
        None if r.reorder_min is None else plain(r.reorder_min),
        None if r.reorder_max is None else plain(r.reorder_max),
        r.lead_time_days,
        bool(r.allow_negative),
        bool(r.active),
        r.version,
        tuple(Unit(u.name, plain(u.factor)) for u in unit_rows),
    )


@functools.cache  # building the select costs more than running it
def _products_query() -> sa.Select[Any]:
    return sa.select(products, categories.c.code.label("category")).join(
        categories, categories.c.id == products.c.category_id
    )


def get_product(conn: sa.Connection, company_id: int, sku: str) -> Product | None:
    row = conn.execute(
        _products_query().where(products.c.company_id == company_id, products.c.sku == sku)
    ).first()
    if row is None:
        return None
    unit_rows = conn.execute(
        sa.select(units).where(units.c.product_id == row.id).order_by(units.c.name)
    )
    return _product(row, unit_rows)


@functools.cache
def _product_category_query() -> sa.Select[Any]:
    return sa.select(
        products,
        categories.c.code.label("category"),
        *(column.label(f"c_{column.name}") for column in categories.c),
    ).join(categories, categories.c.id == products.c.category_id)


_BY_SKU_QUERY = _product_category_query().where(
    products.c.company_id == sa.bindparam("k_company"), products.c.sku == sa.bindparam("k_sku")
)
_BY_SKU = Prepared(_BY_SKU_QUERY)
_BY_SKU_NAMES = [str(c.key) for c in _BY_SKU_QUERY.selected_columns]


def products_with_categories(
    conn: sa.Connection, company_id: int, skus: Collection[str], *, units_of: Collection[str]
) -> dict[str, tuple[Product, Category]]:
    """Products and their categories in one query (stock moves need both), by SKU; the
    units of those in *units_of* only. One SKU (a single move) goes as a prepared
    statement: Core's IN costs more than the query."""
    rows: Sequence[Any]
    if len(skus) == 1:
        (sku,) = skus
        found_rows = _BY_SKU.run(conn, {"k_company": company_id, "k_sku": sku})
        rows = [SimpleNamespace(**dict(zip(_BY_SKU_NAMES, r, strict=True))) for r in found_rows]
    else:
        rows = conn.execute(
            _product_category_query().where(
                products.c.company_id == company_id, products.c.sku.in_(sorted(set(skus)))
            )
        ).all()
    wanted = [r.id for r in rows if r.sku in units_of]
    unit_rows: dict[int, list[Any]] = {}
    if wanted:
        query = sa.select(units).where(units.c.product_id.in_(wanted)).order_by(units.c.name)
        for u in conn.execute(query):
            unit_rows.setdefault(u.product_id, []).append(u)
    found = {}
    for row in rows:
        fields = row.__dict__ if isinstance(row, SimpleNamespace) else row._mapping
        category = _category(
            SimpleNamespace(**{k[2:]: v for k, v in fields.items() if k[:2] == "c_"})
        )
        found[row.sku] = (_product(row, unit_rows.get(row.id, ())), category)
    return found


def product_by_id(conn: sa.Connection, product_id: int) -> Product:
    row = conn.execute(_products_query().where(products.c.id == product_id)).one()
    return _product(row)


def insert_product(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(products.insert().values(**values).returning(products.c.id)).scalar_one()
    )


def update_product(conn: sa.Connection, product: Product, values: dict[str, Any]) -> None:
    update_versioned(
        conn, products, products.c.id == product.id, product.version, values, product.sku
    )


def delete_product(conn: sa.Connection, product_id: int) -> None:
    conn.execute(units.delete().where(units.c.product_id == product_id))
    conn.execute(products.delete().where(products.c.id == product_id))


def has_history(conn: sa.Connection, product_id: int) -> bool:
    found = conn.execute(sa.select(moves.c.id).where(moves.c.product_id == product_id).limit(1))
    return found.first() is not None


def set_unit(conn: sa.Connection, product_id: int, name: str, factor: Decimal) -> None:
    conn.execute(units.delete().where(units.c.product_id == product_id, units.c.name == name))
    conn.execute(units.insert().values(product_id=product_id, name=name, factor=factor))


def product_rows(
    conn: sa.Connection,
    company_id: int,
    *,
    category: str | None = None,
    search: str | None = None,
    include_archived: bool = False,
) -> list[tuple[Product, Decimal, Decimal]]:
    """Products with their on hand and reserved quantities over all internal locations."""
    stock = (
        sa.select(
            balances.c.product_id,
            exact_sum(balances.c.quantity).label("on_hand"),
            exact_sum(balances.c.reserved).label("reserved"),
        )
        .where(balances.c.company_id == company_id)
        .group_by(balances.c.product_id)
        .subquery()
    )
    query = (
        sa.select(products, categories.c.code.label("category"), stock.c.on_hand, stock.c.reserved)
        .join(categories, categories.c.id == products.c.category_id)
        .outerjoin(stock, stock.c.product_id == products.c.id)
        .where(products.c.company_id == company_id)
        .order_by(products.c.sku)
    )
    if category is not None:
        query = query.where(categories.c.code == category)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(products.c.sku).like(pattern),
                sa.func.lower(products.c.name).like(pattern),
                sa.func.lower(products.c.description).like(pattern),
            )
        )
    if not include_archived:
        query = query.where(products.c.active.is_(True))
    zero = Decimal(0)
    return [
        (_product(r), r.on_hand if r.on_hand is not None else zero, r.reserved or zero)
        for r in conn.execute(query)
    ]
