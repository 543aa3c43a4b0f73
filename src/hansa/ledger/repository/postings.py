"""Entries, lines, gapless numbers and the maintained balances."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.ids import new_ids
from hansa.db.prepared import Prepared, quick_processor
from hansa.db.types import ExactDecimal
from hansa.db.upsert import add_on_conflict, prepared
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.entries import Entry, EntryState, Line
from hansa.ledger.repository.books import decimals
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
    statement = prepared(
        conn.dialect.name,
        sequences,
        ("company_id", "journal_id", "fiscal_year_id"),
        ("last_number",),
        returning=("last_number",),
    )
    row = {
        "company_id": company_id,
        "journal_id": journal_id,
        "fiscal_year_id": fiscal_year_id,
        "last_number": count,
    }
    return int(statement.run(conn, row)[0][0]) - count + 1


# Statements a single posting runs, built once and sent straight to the driver.
_INSERT_ENTRY = Prepared(entries.insert().returning(entries.c.id))


def insert_entry(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(_INSERT_ENTRY.run(conn, values)[0][0])


Columns = Mapping[str, Sequence[Any]]  # values by column name, one per row, all as long


def insert_entries(conn: sa.Connection, columns: Columns) -> list[int]:
    """Insert many entries (given as *columns*); returns their ids in order."""
    count = len(next(iter(columns.values())))
    if count == 1:  # a single posting: one statement
        return [insert_entry(conn, {name: values[0] for name, values in columns.items()})]
    ids = new_ids(conn, entries, count)
    _insert_many(conn, entries, {"id": ids, **columns})
    return ids


def new_line_ids(conn: sa.Connection, count: int) -> list[int]:
    """Ids for *count* lines about to be inserted by this transaction."""
    return new_ids(conn, lines, count)


def insert_lines(conn: sa.Connection, columns: Columns) -> None:
    _insert_many(conn, lines, columns)


COPY_FROM = 100  # rows from which PostgreSQL gets them by COPY


def _insert_many(conn: sa.Connection, table: sa.Table, columns: Columns) -> None:
    """INSERT the rows of *columns* with one DBAPI executemany.

    The bulk path of posting: SQLAlchemy's executemany builds a parameter dict per row
    and runs every type's processor value by value, which costs several times the
    insert itself on a large import. Here values are converted column by column with
    the same processors: exact decimals value by value, other types once per distinct
    value (days, flags and timestamps repeat), and go to the driver as tuples (on
    PostgreSQL, many rows go by COPY). A few rows (one entry's lines) go as a
    :class:`Prepared` insert instead.
    """
    count = len(next(iter(columns.values()), ()))
    if count <= FEW:
        if count:
            _insert_few(table).run_rows(conn, list(columns), zip(*columns.values(), strict=True))
        return
    dialect = conn.dialect
    names, converted = [], []
    for name, values in columns.items():
        if values.count(None) == count and table.c[name].server_default is None:
            continue  # NULL everywhere: leave the column out of the statement
        type_ = table.c[name].type
        # What Core would bind (SQLite's DATE binds a string, for instance), quickly.
        convert = quick_processor(type_, dialect)
        if convert is not None and isinstance(type_, ExactDecimal):
            values = [None if v is None else convert(v) for v in values]
        elif convert is not None:
            once = {v: convert(v) for v in set(values) if v is not None}
            values = [None if v is None else once[v] for v in values]
        names.append(name)
        converted.append(values)
    quote = dialect.identifier_preparer.quote
    # Identifiers come from the table's metadata (quoted); values are bound or copied.
    target = f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"
    if dialect.name == "postgresql" and count >= COPY_FROM:
        # COPY is several times faster than psycopg's pipelined executemany.
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in zip(*converted, strict=True):
                copy.write_row(row)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {target} VALUES ({', '.join([mark] * len(names))})"  # noqa: S608
    conn.exec_driver_sql(sql, list(zip(*converted, strict=True)))


FEW = 20  # rows (a single entry's lines) below which column-wise conversion costs more


@functools.cache
def _insert_few(table: sa.Table) -> Prepared:
    return Prepared(table.insert())


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


def add_to_balances(conn: sa.Connection, company_id: int, posted: Columns) -> None:
    """Add posted lines (columns account_id, commodity, weight_currency, date, amount,
    weight) to the daily balances, one upsert per distinct key."""
    sums: dict[tuple[int, str, str, date], list[Any]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), 0]
    )
    keys = zip(
        posted["account_id"],
        posted["commodity"],
        posted["weight_currency"],
        posted["date"],
        strict=True,
    )
    for key, amount, weight in zip(keys, posted["amount"], posted["weight"], strict=True):
        bucket = sums[key]
        bucket[0] += amount
        bucket[1] += weight
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


_ENTRY_LINES = (
    sa.select(lines, accounts.c.code.label("account_code"), partners.c.name.label("partner_name"))
    .join(accounts, accounts.c.id == lines.c.account_id)
    .outerjoin(partners, partners.c.id == lines.c.partner_id)
    .where(lines.c.entry_id == sa.bindparam("entry_id"))
    .order_by(lines.c.line_no)
)


def entry_lines(
    conn: sa.Connection, entry_id: int, places: Callable[[str], int] | None = None
) -> tuple[Line, ...]:
    """The lines of an entry, amounts shown with their commodity's decimals (*places*:
    decimals of a code, by default read from the database)."""
    places = places or decimals(conn)
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
            r.tax_code,
            None if r.tax_base is None else shown(r.tax_base, places(r.commodity)),
        )
        for r in conn.execute(_ENTRY_LINES, {"entry_id": entry_id})
    )


_ENTRY_BY_ID = _entry_query().where(
    entries.c.company_id == sa.bindparam("company_id"), entries.c.id == sa.bindparam("entry_id")
)


def get_entry(
    conn: sa.Connection,
    company_id: int,
    entry_id: int,
    places: Callable[[str], int] | None = None,
) -> Entry | None:
    row = conn.execute(_ENTRY_BY_ID, {"company_id": company_id, "entry_id": entry_id}).first()
    return None if row is None else _entry(row, entry_lines(conn, entry_id, places))


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
