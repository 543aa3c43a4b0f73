"""The audit record and its hash chain (pure functions, no I/O).

Each record's hash covers its own fields and the previous record's hash, so changing,
inserting or deleting any stored row breaks the chain from that row on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Mapping[str, Any] | None) -> str | None:
    """Stable JSON for hashing: sorted keys, no spaces, Decimals and dates as strings."""
    if value is None:
        return None

    # Decimals, dates and anything else not JSON-native are written as their str().
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: str | None
    after: str | None
    request_id: str
    prev_hash: str
    hash: str


def chain_hash(
    prev_hash: str,
    id: int,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    request_id: str,
) -> str:
    fields = [
        prev_hash,
        str(id),
        at.isoformat(),
        actor,
        action,
        entity_type,
        entity_id,
        before if before is not None else "\x00",
        after if after is not None else "\x00",
        request_id,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def expected_hash(record: AuditRecord, prev_hash: str) -> str:
    return chain_hash(
        prev_hash,
        record.id,
        record.at,
        record.actor,
        record.action,
        record.entity_type,
        record.entity_id,
        record.before,
        record.after,
        record.request_id,
    )


@dataclass(frozen=True)
class BrokenLink:
    record_id: int
    reason: str


def first_broken_link(
    records: Iterable[AuditRecord], prev_hash: str = GENESIS
) -> tuple[BrokenLink | None, int, str]:
    """Walk *records* in id order; return the first broken link, how many were checked
    and the last good hash (to continue with the next batch)."""
    checked = 0
    for record in records:
        checked += 1
        if record.prev_hash != prev_hash:
            return (
                BrokenLink(
                    record.id,
                    "does not link to the record before it "
                    "(a record was inserted, deleted or altered)",
                ),
                checked,
                prev_hash,
            )
        if expected_hash(record, prev_hash) != record.hash:
            return (
                BrokenLink(
                    record.id, "its content no longer matches its hash (the record was altered)"
                ),
                checked,
                prev_hash,
            )
        prev_hash = record.hash
    return None, checked, prev_hash
