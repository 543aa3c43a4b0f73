"""Leads, stages, opportunities and activities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from hansa.parties.tables import activities, leads, opportunities


def party_has_history(conn: sa.Connection, party_id: int) -> bool:
    """Whether activities, leads or opportunities refer to the party."""
    return any(
        conn.execute(sa.select(t.c.id).where(t.c.party_id == party_id).limit(1)).first() is not None
        for t in (activities, leads, opportunities)
    )


def insert(conn: sa.Connection, table: sa.Table, values: Mapping[str, Any]) -> int:
    return int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
