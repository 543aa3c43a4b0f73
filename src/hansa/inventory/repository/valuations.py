"""Product valuations (quantity and value) and FIFO layers, read ``FOR UPDATE`` like
the balances (see :mod:`.stock`), by prepared statements: every valued move runs them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from hansa.db.prepared import Prepared
from hansa.inventory.domain.valuation import Layer, Stock
from hansa.inventory.tables import layers, valuations

ZERO = Decimal(0)
_VALUATION_KEY = sa.and_(
    valuations.c.company_id == sa.bindparam("k_company"),
    valuations.c.product_id == sa.bindparam("k_product"),
)
_LOCK_VALUATION = Prepared(
    sa.select(valuations.c.quantity, valuations.c.value).where(_VALUATION_KEY).with_for_update()
)
_INSERT_VALUATION = Prepared(valuations.insert())
_SET_VALUATION = Prepared(valuations.update().where(_VALUATION_KEY))
_LAYER_KEY = sa.and_(
    layers.c.company_id == sa.bindparam("k_company"),
    layers.c.product_id == sa.bindparam("k_product"),
)
_LAYERS = Prepared(
    sa.select(layers.c.move_id, layers.c.quantity, layers.c.value)
    .where(_LAYER_KEY)
    .order_by(layers.c.move_id)
)
_ONE_LAYER = sa.and_(_LAYER_KEY, layers.c.move_id == sa.bindparam("k_move"))
_INSERT_LAYER = Prepared(layers.insert())
_UPDATE_LAYER = Prepared(layers.update().where(_ONE_LAYER))
_DELETE_LAYER = Prepared(layers.delete().where(_ONE_LAYER))


def lock_valuation(conn: sa.Connection, company_id: int, product_id: int) -> Stock:
    key = {"k_company": company_id, "k_product": product_id}
    rows = _LOCK_VALUATION.run(conn, key)
    if not rows:
        _INSERT_VALUATION.run(
            conn,
            {"company_id": company_id, "product_id": product_id, "quantity": ZERO, "value": ZERO},
        )
        return Stock(ZERO, ZERO)
    return Stock(rows[0][0], rows[0][1])


def lock_valuations(
    conn: sa.Connection, company_id: int, product_ids: Sequence[int]
) -> dict[int, Stock]:
    """:func:`lock_valuation` of many products in one query (rows locked in order)."""
    ids = sorted(set(product_ids))
    query = (
        sa.select(valuations.c.product_id, valuations.c.quantity, valuations.c.value)
        .where(valuations.c.company_id == company_id, valuations.c.product_id.in_(ids))
        .order_by(valuations.c.product_id)
        .with_for_update()
    )
    found = {r.product_id: Stock(r.quantity, r.value) for r in conn.execute(query)}
    missing = [i for i in ids if i not in found]
    _INSERT_VALUATION.run_many(
        conn,
        [
            {"company_id": company_id, "product_id": i, "quantity": ZERO, "value": ZERO}
            for i in missing
        ],
    )
    return {**found, **{i: Stock(ZERO, ZERO) for i in missing}}


def set_valuations(conn: sa.Connection, company_id: int, stocks: dict[int, Stock]) -> None:
    _SET_VALUATION.run_many(
        conn,
        [
            {"k_company": company_id, "k_product": i, "quantity": st.quantity, "value": st.value}
            for i, st in stocks.items()
        ],
    )


def set_valuation(conn: sa.Connection, company_id: int, product_id: int, stock: Stock) -> None:
    _SET_VALUATION.run(
        conn,
        {
            "k_company": company_id,
            "k_product": product_id,
            "quantity": stock.quantity,
            "value": stock.value,
        },
    )


def fifo_layers(conn: sa.Connection, company_id: int, product_id: int) -> list[Layer]:
    rows = _LAYERS.run(conn, {"k_company": company_id, "k_product": product_id})
    return [Layer(move_id, quantity, value) for move_id, quantity, value in rows]


def layers_of(
    conn: sa.Connection, company_id: int, product_ids: Sequence[int]
) -> dict[int, list[Layer]]:
    """:func:`fifo_layers` of many products in one query (every product a key)."""
    query = (
        sa.select(layers.c.product_id, layers.c.move_id, layers.c.quantity, layers.c.value)
        .where(layers.c.company_id == company_id, layers.c.product_id.in_(sorted(product_ids)))
        .order_by(layers.c.product_id, layers.c.move_id)
    )
    found: dict[int, list[Layer]] = {i: [] for i in product_ids}
    for r in conn.execute(query):
        found[r.product_id].append(Layer(r.move_id, r.quantity, r.value))
    return found


LayerChange = tuple[int, Sequence[Layer], Sequence[Layer]]  # product, before, after


def replace_layers(
    conn: sa.Connection,
    company_id: int,
    product_id: int,
    before: Sequence[Layer],
    after: Sequence[Layer],
) -> None:
    """Write the changes from *before* to *after* (layers keyed by their move)."""
    replace_layers_of(conn, company_id, [(product_id, before, after)])


def replace_layers_of(conn: sa.Connection, company_id: int, changes: Sequence[LayerChange]) -> None:
    """:func:`replace_layers` of many products, one executemany per kind of change."""
    gone, made, changed = [], [], []
    for product_id, before, after in changes:
        old = {layer.move_id: layer for layer in before}
        new = {layer.move_id: layer for layer in after}
        key = {"k_company": company_id, "k_product": product_id}
        gone += [{**key, "k_move": m} for m in old if m not in new]
        for m, layer in new.items():
            if m not in old:
                made.append(
                    {
                        "company_id": company_id,
                        "product_id": product_id,
                        "move_id": m,
                        "quantity": layer.quantity,
                        "value": layer.value,
                    }
                )
            elif old[m] != layer:
                changed.append(
                    {**key, "k_move": m, "quantity": layer.quantity, "value": layer.value}
                )
    _DELETE_LAYER.run_many(conn, gone)
    _INSERT_LAYER.run_many(conn, made)
    _UPDATE_LAYER.run_many(conn, changed)
