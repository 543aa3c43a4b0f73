"""The transactional outbox and the receivers' record of processed events."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata
from hansa.db.types import UTCDateTime

outbox = sa.Table(
    "event_outbox",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("topic", sa.String(150), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("occurred_at", UTCDateTime(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("dispatched_at", UTCDateTime(), nullable=True),
    sa.Index("ix_event_outbox_status_next", "status", "next_attempt_at"),
)

processed_events = sa.Table(
    "processed_events",
    metadata,
    sa.Column("consumer", sa.String(100), primary_key=True),
    sa.Column("event_id", sa.String(32), primary_key=True),
    sa.Column("processed_at", UTCDateTime(), nullable=False),
)
