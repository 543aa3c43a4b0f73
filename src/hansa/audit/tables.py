"""The append-only audit log (UPDATE and DELETE are refused by triggers)."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata
from hansa.db.types import UTCDateTime

audit_log = sa.Table(
    "audit_log",
    metadata,
    # Ids are assigned by the service under the chain lock, so the hash can cover them.
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("actor", sa.String(150), nullable=False),
    sa.Column("action", sa.String(150), nullable=False),
    sa.Column("entity_type", sa.String(100), nullable=False),
    sa.Column("entity_id", sa.String(100), nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Column("request_id", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_log_actor_id", "actor", "id"),
    sa.Index("ix_audit_log_action_id", "action", "id"),
    info={"immutable": True},  # triggers refuse UPDATE, DELETE (and TRUNCATE)
)
