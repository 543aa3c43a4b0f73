"""Reading and appending audit rows. Appends serialise on the chain head."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from hansa.audit.domain import GENESIS, AuditRecord
from hansa.audit.tables import audit_log
from hansa.db.prepared import Prepared

CHAIN_LOCK_KEY = 7_415_320_001  # pg_advisory_xact_lock key for the audit chain


def lock_chain(conn: sa.Connection) -> None:
    """Serialise appends to the chain. SQLite write transactions already hold the
    database's write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


# Appends run with every change: their statements are built once.
_LAST_LINK = Prepared(
    sa.select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
)
_INSERT = Prepared(audit_log.insert())


def last_link(conn: sa.Connection) -> tuple[int, str]:
    rows = _LAST_LINK.run(conn, {})
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS)


def insert(conn: sa.Connection, record: AuditRecord) -> None:
    _INSERT.run(conn, record.__dict__)


def _record(row: sa.Row[tuple[object, ...]]) -> AuditRecord:
    return AuditRecord(**row._asdict())


def select_recent(
    conn: sa.Connection,
    limit: int,
    actor: str | None,
    action: str | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditRecord]:
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if since:
        query = query.where(audit_log.c.at >= since)
    if until:
        query = query.where(audit_log.c.at < until)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if action:
        pattern = action.replace("*", "%")
        query = query.where(
            audit_log.c.action.like(pattern) if "%" in pattern else audit_log.c.action == action
        )
    return [_record(row) for row in conn.execute(query)]


def iterate(conn: sa.Connection, batch: int = 5000) -> Iterator[AuditRecord]:
    after = 0
    while True:
        rows = conn.execute(
            sa.select(audit_log).where(audit_log.c.id > after).order_by(audit_log.c.id).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _record(row)
        after = int(rows[-1].id)
