"""Reading posted lines for the journal export, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa

from hansa.ledger.tables import accounts, entries, lines, partners

STREAM_ROWS = 5_000


def posted_lines(
    conn: sa.Connection, company_id: int, start: date | None, end: date | None
) -> Iterator[Any]:
    """Posted lines with their entry's number, narration and partner, in date and entry
    order, fetched in chunks (a server-side cursor on PostgreSQL)."""
    query = (
        sa.select(
            lines.c.date,
            entries.c.number,
            accounts.c.code.label("account"),
            lines.c.commodity,
            lines.c.amount,
            lines.c.weight,
            lines.c.weight_currency,
            entries.c.narration,
            partners.c.name.label("payee"),
        )
        .join(entries, entries.c.id == lines.c.entry_id)
        .join(accounts, accounts.c.id == lines.c.account_id)
        .outerjoin(partners, partners.c.id == entries.c.partner_id)
        .where(lines.c.company_id == company_id, lines.c.posted.is_(True))
        .order_by(lines.c.date, lines.c.entry_id, lines.c.line_no)
    )
    if start is not None:
        query = query.where(lines.c.date >= start)
    if end is not None:
        query = query.where(lines.c.date <= end)
    result = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(query)
    yield from result
