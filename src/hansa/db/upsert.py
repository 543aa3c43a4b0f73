"""INSERT ... ON CONFLICT for both engines."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from hansa.db.prepared import Prepared


def add_on_conflict(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    increments: Sequence[str],
) -> None:
    """Insert *rows*; where the key exists, add the *increments* columns to the stored
    row instead (balances and counters)."""
    if rows:
        prepared(conn.dialect.name, table, tuple(keys), tuple(increments)).run_many(conn, rows)


@functools.cache
def prepared(
    dialect_name: str,
    table: sa.Table,
    keys: tuple[str, ...],
    increments: tuple[str, ...],
    returning: tuple[str, ...] = (),
) -> Prepared:
    """:func:`upsert`, ready for the driver (see :mod:`hansa.db.prepared`)."""
    return Prepared(upsert(dialect_name, table, keys, increments, returning))


@functools.cache
def upsert(
    dialect_name: str,
    table: sa.Table,
    keys: tuple[str, ...],
    increments: tuple[str, ...],
    returning: tuple[str, ...] = (),
) -> sa.Executable:
    """The statement of :func:`add_on_conflict` (optionally RETURNING columns), built
    once: constructing it (``excluded`` makes a column collection) costs more than a
    single-row execution, and a posting runs two of them."""
    insert = sqlite.insert(table) if dialect_name == "sqlite" else postgresql.insert(table)
    upserting = insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in increments},
    )
    if not returning:
        return upserting
    returned: sa.Executable = upserting.returning(*(table.c[name] for name in returning))
    return returned
