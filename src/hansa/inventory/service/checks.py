"""The inventory's integrity checks, run by ``hansa check``."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

from hansa import ledger
from hansa.db.types import exact_sum
from hansa.inventory.tables import balances, categories, locations, moves, products, valuations
from hansa.kernel.checks import Problem, register


@register("inventory.on_hand", "maintained on-hand balances equal the sum of done moves")
def check_on_hand(conn: sa.Connection) -> list[Problem]:
    internal = sa.select(locations.c.id).where(locations.c.kind == "internal")
    sums: dict[tuple[int, int, int, int], Decimal] = defaultdict(Decimal)
    lot = sa.case((moves.c.lot_id.is_(None), sa.literal_column("0")), else_=moves.c.lot_id)
    for column, sign in ((moves.c.destination_id, 1), (moves.c.source_id, -1)):
        group = (moves.c.company_id, moves.c.product_id, column, lot)
        query = (
            sa.select(*group, exact_sum(moves.c.quantity))
            .where(moves.c.state == "done", column.in_(internal))
            .group_by(*group)
        )
        for company, item, where, lot_key, total in conn.execute(query):
            sums[(int(company), int(item), int(where), int(lot_key))] += sign * total
    stored = {
        (int(r[0]), int(r[1]), int(r[2]), int(r[3])): r[4]
        for r in conn.execute(
            sa.select(
                balances.c.company_id,
                balances.c.product_id,
                balances.c.location_id,
                balances.c.lot_key,
                balances.c.quantity,
            )
        )
    }
    problems = []
    for key in sorted(set(sums) | set(stored)):
        moved, held = sums.get(key, Decimal(0)), stored.get(key, Decimal(0))
        if moved != held:
            problems.append(
                Problem(
                    "inventory.on_hand",
                    f"product id {key[1]} at location id {key[2]} lot {key[3]}: moves sum to "
                    f"{moved}, the balance says {held}",
                    ref=f"{key[0]}:{key[1]}:{key[2]}:{key[3]}",
                )
            )
    return problems[:100]


@register(
    "inventory.valuation_ties_to_ledger",
    "the stock valuation per inventory account equals the account's ledger balance",
)
def check_valuation(conn: sa.Connection) -> list[Problem]:
    query = (
        sa.select(
            categories.c.company_id, categories.c.inventory_account, exact_sum(valuations.c.value)
        )
        .select_from(valuations)
        .join(products, products.c.id == valuations.c.product_id)
        .join(categories, categories.c.id == products.c.category_id)
        .group_by(categories.c.company_id, categories.c.inventory_account)
    )
    stock = {(int(r[0]), str(r[1])): r[2] for r in conn.execute(query)}
    accounts = {
        (int(r[0]), str(r[1]))
        for r in conn.execute(sa.select(categories.c.company_id, categories.c.inventory_account))
    }
    books = ledger.account_totals(conn)
    problems = []
    for key in sorted(accounts):
        value, balance = stock.get(key, Decimal(0)), books.get(key, Decimal(0))
        if value != balance:
            problems.append(
                Problem(
                    "inventory.valuation_ties_to_ledger",
                    f"company id {key[0]} account {key[1]}: stock is valued at {value}, the "
                    f"ledger balance is {balance}",
                    ref=f"{key[0]}:{key[1]}",
                )
            )
    return problems
