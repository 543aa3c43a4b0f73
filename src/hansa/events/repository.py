"""Outbox rows: append, claim what is due, mark delivered or failed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from hansa.db.prepared import Prepared
from hansa.events.domain import DELIVERED, PENDING
from hansa.events.tables import outbox, processed_events
from hansa.kernel.events import DomainEvent


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    event: DomainEvent
    status: str
    attempts: int
    last_error: str | None


_INSERT = Prepared(outbox.insert())  # every publishing use case runs it


def insert(conn: sa.Connection, event: DomainEvent) -> None:
    _INSERT.run(
        conn,
        {
            "id": event.id,
            "topic": event.topic,
            "payload": json.dumps(dict(event.payload), sort_keys=True, default=str),
            "occurred_at": event.occurred_at,
            "next_attempt_at": event.occurred_at,
        },
    )


def _row(row: sa.Row[tuple[object, ...]]) -> OutboxRow:
    event = DomainEvent(
        topic=row.topic, payload=json.loads(row.payload), id=row.id, occurred_at=row.occurred_at
    )
    return OutboxRow(int(row.seq), event, str(row.status), int(row.attempts), row.last_error)


def claim_due(conn: sa.Connection, now: datetime, limit: int) -> list[OutboxRow]:
    """Due pending events in order; on PostgreSQL rows are locked and others skip them,
    so several dispatchers can run at once."""
    query = (
        sa.select(outbox)
        .where(outbox.c.status == PENDING, outbox.c.next_attempt_at <= now)
        .order_by(outbox.c.seq)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_row(row) for row in conn.execute(query)]


def mark_delivered(conn: sa.Connection, seq: int, now: datetime) -> None:
    conn.execute(
        outbox.update()
        .where(outbox.c.seq == seq)
        .values(
            status=DELIVERED, dispatched_at=now, attempts=outbox.c.attempts + 1, last_error=None
        )
    )


def mark_failed(
    conn: sa.Connection, seq: int, attempts: int, status: str, error: str, retry_at: datetime
) -> None:
    conn.execute(
        outbox.update()
        .where(outbox.c.seq == seq)
        .values(status=status, attempts=attempts, last_error=error[:2000], next_attempt_at=retry_at)
    )


def select_recent(conn: sa.Connection, limit: int, status: str | None) -> list[OutboxRow]:
    query = sa.select(outbox).order_by(outbox.c.seq.desc()).limit(limit)
    if status:
        query = query.where(outbox.c.status == status)
    return [_row(row) for row in conn.execute(query)]


def remember_processed(conn: sa.Connection, consumer: str, event_id: str, now: datetime) -> bool:
    """Record that *consumer* handled *event_id*; False if it already had (also when a
    concurrent redelivery recorded it first)."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = (
        dialect.insert(processed_events)
        .values(consumer=consumer, event_id=event_id, processed_at=now)
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        .returning(processed_events.c.event_id)
    )
    return conn.execute(stmt).first() is not None


def lease(conn: sa.Connection, seqs: list[int], until: datetime) -> None:
    """Hide claimed events from other dispatchers until *until*."""
    if seqs:
        conn.execute(outbox.update().where(outbox.c.seq.in_(seqs)).values(next_attempt_at=until))
