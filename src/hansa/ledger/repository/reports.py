"""Report queries. Balances come from the maintained daily balances, not the lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.tables import accounts, balances, entries, lines, partners


def account_balances(
    conn: sa.Connection,
    company_id: int,
    start: date | None,
    end: date | None,
    weight_currency: str | None = None,
) -> list[sa.Row[Any]]:
    """Per account and commodity: the sum of posted amounts with *start* <= day <= *end*
    (either bound may be open), zero sums left out. With *weight_currency*, per account
    the sum of the weights in that currency instead (shown as its commodity)."""
    if weight_currency is None:
        value, key = balances.c.amount, balances.c.commodity
    else:
        value, key = balances.c.weight, balances.c.weight_currency
    query = (
        sa.select(balances.c.account_id, key.label("commodity"), exact_sum(value).label("balance"))
        .where(balances.c.company_id == company_id)
        .group_by(balances.c.account_id, key)
        .having(sa.func.sum(value) != 0)
    )
    if weight_currency is not None:
        query = query.where(balances.c.weight_currency == weight_currency)
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


def opening_balances(
    conn: sa.Connection, company_id: int, before: date, account_id: int | None
) -> dict[tuple[int, str], Decimal]:
    """Balance per account and commodity at the end of the day before *before*."""
    query = (
        sa.select(balances.c.account_id, balances.c.commodity, exact_sum(balances.c.amount))
        .where(balances.c.company_id == company_id, balances.c.day < before)
        .group_by(balances.c.account_id, balances.c.commodity)
    )
    if account_id is not None:
        query = query.where(balances.c.account_id == account_id)
    return {(int(r[0]), str(r[1])): r[2] for r in conn.execute(query)}


def posted_lines(
    conn: sa.Connection, company_id: int, start: date, end: date, account_id: int | None
) -> list[sa.Row[Any]]:
    """Posted lines from *start* to *end*, by account, date and entry."""
    query = (
        sa.select(
            lines.c.account_id,
            lines.c.date,
            lines.c.commodity,
            lines.c.amount,
            lines.c.description,
            entries.c.number,
            entries.c.narration,
            partners.c.name.label("partner"),
        )
        .join(entries, entries.c.id == lines.c.entry_id)
        .outerjoin(partners, partners.c.id == lines.c.partner_id)
        .where(
            lines.c.company_id == company_id,
            lines.c.posted.is_(True),
            lines.c.date >= start,
            lines.c.date <= end,
        )
        .order_by(lines.c.account_id, lines.c.date, lines.c.entry_id, lines.c.line_no)
    )
    if account_id is not None:
        query = query.where(lines.c.account_id == account_id)
    return list(conn.execute(query))
