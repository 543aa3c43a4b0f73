"""INSERT ... ON CONFLICT for both engines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def add_on_conflict(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    increments: Sequence[str],
) -> None:
    """Insert *rows*; where the key exists, add the *increments* columns to the stored
    row instead (balances and counters)."""
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in increments},
    )
    conn.execute(stmt, list(rows))
