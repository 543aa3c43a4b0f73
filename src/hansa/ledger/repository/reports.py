"""Report queries. Balances come from the maintained daily balances, not the lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.tables import accounts, balances


def account_balances(
    conn: sa.Connection, company_id: int, start: date | None, end: date | None
) -> list[sa.Row[Any]]:
    """Per account and commodity: the sum of posted amounts with *start* <= day <= *end*
    (either bound may be open), zero sums left out."""
    total = exact_sum(balances.c.amount).label("balance")
    query = (
        sa.select(balances.c.account_id, balances.c.commodity, total)
        .where(balances.c.company_id == company_id)
        .group_by(balances.c.account_id, balances.c.commodity)
        .having(sa.func.sum(balances.c.amount) != 0)
    )
    if start is not None:
        query = query.where(balances.c.day >= start)
    if end is not None:
        query = query.where(balances.c.day <= end)
    sums = query.subquery()
    return list(
        conn.execute(
            sa.select(
                accounts.c.code, accounts.c.name, accounts.c.type, sums.c.commodity, sums.c.balance
            )
            .join(accounts, accounts.c.id == sums.c.account_id)
            .order_by(accounts.c.code, sums.c.commodity)
        )
    )


def weight_totals(conn: sa.Connection) -> list[tuple[int, str, Decimal]]:
    """Per company and weight currency, the sum of all posted weights (should be 0)."""
    query = sa.select(
        balances.c.company_id, balances.c.weight_currency, exact_sum(balances.c.weight)
    ).group_by(balances.c.company_id, balances.c.weight_currency)
    return [(int(r[0]), str(r[1]), r[2]) for r in conn.execute(query)]
