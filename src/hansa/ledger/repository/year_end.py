"""What the year-end close reads and writes besides postings."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.domain.periods import PeriodState
from hansa.ledger.tables import accounts, entries, fiscal_years, journals, lines


def draft_ids(conn: sa.Connection, company_id: int, start: date, end: date) -> list[int]:
    query = (
        sa.select(entries.c.id)
        .where(
            entries.c.company_id == company_id,
            entries.c.state == "draft",
            entries.c.date >= start,
            entries.c.date <= end,
        )
        .order_by(entries.c.id)
    )
    return [int(r[0]) for r in conn.execute(query)]


def close_fiscal_year(conn: sa.Connection, year_id: int) -> bool:
    """Mark an open year closed; False if it is not open (any more). The row stays
    locked until the transaction ends, so two closes of one year cannot both succeed."""
    result = conn.execute(
        fiscal_years.update()
        .where(fiscal_years.c.id == year_id, fiscal_years.c.state == PeriodState.open.value)
        .values(state=PeriodState.closed.value)
    )
    return result.rowcount == 1


def journal_balances(
    conn: sa.Connection,
    company_id: int,
    journal_code: str,
    start: date,
    end: date,
    weight_currency: str | None = None,
) -> list[sa.Row[Any]]:
    """Per account and commodity, the posted amounts of one journal's entries between
    *start* and *end* (code, name, type, commodity, balance); with *weight_currency*,
    per account the weights in that currency instead."""
    in_journal = (
        sa.select(entries.c.id)
        .join(journals, journals.c.id == entries.c.journal_id)
        .where(
            entries.c.company_id == company_id,
            journals.c.code == journal_code,
            entries.c.state == "posted",
            entries.c.date >= start,
            entries.c.date <= end,
        )
    )
    if weight_currency is None:
        value, key = lines.c.amount, lines.c.commodity
    else:
        value, key = lines.c.weight, lines.c.weight_currency
    query = (
        sa.select(
            accounts.c.code,
            accounts.c.name,
            accounts.c.type,
            key.label("commodity"),
            exact_sum(value).label("balance"),
        )
        .join(accounts, accounts.c.id == lines.c.account_id)
        .where(lines.c.entry_id.in_(in_journal))
        .group_by(accounts.c.code, accounts.c.name, accounts.c.type, key)
        .order_by(accounts.c.code, key)
    )
    if weight_currency is not None:
        query = query.where(lines.c.weight_currency == weight_currency)
    return list(conn.execute(query))
