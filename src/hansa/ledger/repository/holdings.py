"""Holdings: posted sums per account, commodity and weight currency, from the balances."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.domain.holdings import Holding
from hansa.ledger.tables import accounts, balances


def holdings(
    conn: sa.Connection,
    company_id: int,
    types: Sequence[str],
    start: date | None,
    end: date,
) -> list[Holding]:
    """What each account of *types* holds from *start* (or the beginning) to *end*,
    both included; holdings with zero amount and zero weight left out."""
    query = (
        sa.select(
            accounts.c.code,
            balances.c.commodity,
            balances.c.weight_currency,
            exact_sum(balances.c.amount).label("amount"),
            exact_sum(balances.c.weight).label("weight"),
        )
        .join(accounts, accounts.c.id == balances.c.account_id)
        .where(
            balances.c.company_id == company_id,
            balances.c.day <= end,
            accounts.c.type.in_(list(types)),
        )
        .group_by(accounts.c.code, balances.c.commodity, balances.c.weight_currency)
        .having(sa.or_(sa.func.sum(balances.c.amount) != 0, sa.func.sum(balances.c.weight) != 0))
        .order_by(accounts.c.code, balances.c.commodity, balances.c.weight_currency)
    )
    if start is not None:
        query = query.where(balances.c.day >= start)
    return [
        Holding(r.code, r.commodity, r.weight_currency, r.amount, r.weight)
        for r in conn.execute(query)
    ]
