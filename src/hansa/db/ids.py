"""Ids for rows a transaction is about to insert, taken before the insert so that
rows pointing at each other (an entry's lines, a batch of stock moves and the ledger
entry that names them) can be written in one go without reading anything back."""

from __future__ import annotations

import functools

import sqlalchemy as sa

from hansa.db.prepared import Prepared


@functools.cache
def _last_id(table: sa.Table) -> Prepared:
    return Prepared(sa.select(sa.func.max(table.c.id)))


def new_ids(conn: sa.Connection, table: sa.Table, count: int) -> list[int]:
    """*count* unused ids of *table*: from its sequence on PostgreSQL; on SQLite the
    ones after the highest, which nobody else can take while this write transaction
    (BEGIN IMMEDIATE) holds the database's write lock."""
    if not count:
        return []
    if conn.dialect.name == "postgresql":
        query = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
        return [int(r[0]) for r in conn.exec_driver_sql(query, (table.name, count))]
    last = _last_id(table).run(conn, {})[0][0] or 0
    return list(range(int(last) + 1, int(last) + 1 + count))
