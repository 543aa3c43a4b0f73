"""Entries, lines, gapless numbers and the maintained balances."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.entries import Entry, EntryState, Line
from hansa.ledger.repository.books import decimals
from hansa.ledger.repository.upsert import add_on_conflict
from hansa.ledger.tables import (
    accounts,
    balances,
    entries,
    journals,
    lines,
    partners,
    reversals,
    sequences,
)


def take_numbers(
    conn: sa.Connection, company_id: int, journal_id: int, fiscal_year_id: int, count: int = 1
) -> int:
    """Reserve *count* consecutive numbers and return the first. The row stays locked
    (SQLite: the write transaction; PostgreSQL: the row lock of the upsert) until the
    transaction ends, so numbers are gapless even with concurrent posters."""
    add_on_conflict(
        conn,
        sequences,
        [
            {
                "company_id": company_id,
                "journal_id": journal_id,
                "fiscal_year_id": fiscal_year_id,
                "last_number": count,
            }
        ],
        ["company_id", "journal_id", "fiscal_year_id"],
        ["last_number"],
    )
    last = conn.execute(
        sa.select(sequences.c.last_number).where(
            sequences.c.company_id == company_id,
            sequences.c.journal_id == journal_id,
            sequences.c.fiscal_year_id == fiscal_year_id,
        )
    ).scalar_one()
    return int(last) - count + 1


def insert_entry(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(entries.insert().values(**values).returning(entries.c.id)).scalar_one())


def insert_entries(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert many entries; returns their ids in order."""
    result = conn.execute(
        entries.insert().returning(entries.c.id, sort_by_parameter_order=True), list(rows)
    )
    return [int(r[0]) for r in result]


def insert_lines(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(lines.insert(), list(rows))


def mark_posted(conn: sa.Connection, entry_id: int, number: str, at: datetime, version: int) -> int:
    result = conn.execute(
        entries.update()
        .where(
            entries.c.id == entry_id,
            entries.c.state == EntryState.draft.value,
            entries.c.version == version,
        )
        .values(state=EntryState.posted.value, number=number, posted_at=at, version=version + 1)
    )
    conn.execute(lines.update().where(lines.c.entry_id == entry_id).values(posted=True))
    return result.rowcount


def delete_draft(conn: sa.Connection, entry_id: int) -> None:
    conn.execute(lines.delete().where(lines.c.entry_id == entry_id))
    conn.execute(
        entries.delete().where(entries.c.id == entry_id, entries.c.state == EntryState.draft.value)
    )


def link_reversal(conn: sa.Connection, entry_id: int, reversed_by: int) -> None:
    conn.execute(reversals.insert().values(entry_id=entry_id, reversed_by=reversed_by))


def add_to_balances(
    conn: sa.Connection, company_id: int, posted: Sequence[Mapping[str, Any]]
) -> None:
    """Add posted lines (account_id, commodity, weight_currency, date, amount, weight) to
    the daily balances, one upsert per distinct key."""
    sums: dict[tuple[int, str, str, date], list[Any]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), 0]
    )
    for line in posted:
        bucket = sums[
            (line["account_id"], line["commodity"], line["weight_currency"], line["date"])
        ]
        bucket[0] += line["amount"]
        bucket[1] += line["weight"]
        bucket[2] += 1
    add_on_conflict(
        conn,
        balances,
        [
            {
                "company_id": company_id,
                "account_id": a,
                "commodity": c,
                "weight_currency": w,
                "day": d,
                "amount": s[0],
                "weight": s[1],
                "lines": s[2],
            }
            for (a, c, w, d), s in sums.items()
        ],
        ["company_id", "account_id", "commodity", "weight_currency", "day"],
        ["amount", "weight", "lines"],
    )


_ENTRY_COLUMNS = (
    entries,
    journals.c.code.label("journal_code"),
    partners.c.name.label("partner_name"),
    reversals.c.reversed_by.label("reversed_by_id"),
)


def _entry_query() -> sa.Select[Any]:
    return (
        sa.select(*_ENTRY_COLUMNS)
        .join(journals, journals.c.id == entries.c.journal_id)
        .outerjoin(partners, partners.c.id == entries.c.partner_id)
        .outerjoin(reversals, reversals.c.entry_id == entries.c.id)
    )


def _entry(row: sa.Row[Any], entry_lines: tuple[Line, ...] = ()) -> Entry:
    return Entry(
        row.id,
        row.company_id,
        row.journal_code,
        row.number,
        row.date,
        EntryState(row.state),
        row.narration,
        row.partner_name,
        row.reference,
        row.reversal_of,
        row.reversed_by_id,
        row.created_by,
        row.version,
        entry_lines,
    )


def entry_lines(conn: sa.Connection, entry_id: int) -> tuple[Line, ...]:
    query = (
        sa.select(
            lines, accounts.c.code.label("account_code"), partners.c.name.label("partner_name")
        )
        .join(accounts, accounts.c.id == lines.c.account_id)
        .outerjoin(partners, partners.c.id == lines.c.partner_id)
        .where(lines.c.entry_id == entry_id)
        .order_by(lines.c.line_no)
    )
    places = decimals(conn)
    return tuple(
        Line(
            r.id,
            r.line_no,
            r.account_id,
            r.account_code,
            r.commodity,
            shown(r.amount, places(r.commodity)),
            shown(r.weight, places(r.weight_currency)),
            r.weight_currency,
            r.partner_name,
            r.due_date,
            r.description,
            r.cost_center,
        )
        for r in conn.execute(query)
    )


def get_entry(conn: sa.Connection, company_id: int, entry_id: int) -> Entry | None:
    row = conn.execute(
        _entry_query().where(entries.c.company_id == company_id, entries.c.id == entry_id)
    ).first()
    return None if row is None else _entry(row, entry_lines(conn, entry_id))


def list_entries(
    conn: sa.Connection,
    company_id: int,
    *,
    journal: str | None,
    start: date | None,
    end: date | None,
    state: str | None,
    limit: int,
) -> list[Entry]:
    query = _entry_query().where(entries.c.company_id == company_id)
    if journal:
        query = query.where(journals.c.code == journal)
    if start:
        query = query.where(entries.c.date >= start)
    if end:
        query = query.where(entries.c.date <= end)
    if state:
        query = query.where(entries.c.state == state)
    query = query.order_by(entries.c.date.desc(), entries.c.id.desc()).limit(limit)
    return [_entry(row) for row in conn.execute(query)]
