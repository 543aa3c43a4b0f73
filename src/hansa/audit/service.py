"""Audit use cases: record a change (inside the caller's transaction), list, verify."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from hansa.audit import repository
from hansa.audit.domain import (
    AuditRecord,
    BrokenLink,
    canonical_json,
    chain_hash,
    first_broken_link,
)
from hansa.audit.errors import BadAuditQuery
from hansa.db.uow import UnitOfWork
from hansa.kernel import clock, context
from hansa.kernel.actor import Actor
from hansa.kernel.checks import Problem, register

READ = "audit.log.read"


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record in the caller's open transaction.

    Never call it for a change that is not written in the same unit of work: the record
    and the change commit or roll back together.
    """
    conn = uow.conn
    repository.lock_chain(conn)
    last_id, prev_hash = repository.last_link(conn)
    record_id = last_id + 1
    at = clock.now()
    before_json, after_json = canonical_json(before), canonical_json(after)
    request_id = context.request_id()
    entry = AuditRecord(
        id=record_id,
        at=at,
        actor=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before_json,
        after=after_json,
        request_id=request_id,
        prev_hash=prev_hash,
        hash=chain_hash(
            prev_hash,
            record_id,
            at,
            actor.username,
            action,
            entity_type,
            str(entity_id),
            before_json,
            after_json,
            request_id,
        ),
    )
    repository.insert(conn, entry)
    return entry


def list_records(
    uow: UnitOfWork,
    actor: Actor,
    *,
    limit: int = 50,
    user: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[AuditRecord]:
    """Records newest first; *since* and *until* are inclusive calendar days (UTC)."""
    actor.require(READ)
    if not 1 <= limit <= 10_000:
        raise BadAuditQuery("--limit must be between 1 and 10000")
    if since and until and since > until:
        raise BadAuditQuery(f"--since {since} is after --until {until}")
    start = datetime.combine(since, time(), UTC) if since else None
    end = (
        datetime.combine(until + timedelta(days=1), time(), UTC)
        if until and until < date.max
        else None
    )
    with uow:
        return repository.select_recent(uow.conn, limit, user, action, start, end)


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(conn: sa.Connection) -> Verification:
    broken, checked, _ = first_broken_link(repository.iterate(conn))
    return Verification(checked, broken)


def verify(uow: UnitOfWork, actor: Actor) -> Verification:
    """Recompute the whole chain; report the first record that no longer fits."""
    actor.require(READ)
    with uow:
        return verify_chain(uow.conn)


@register("audit.chain", "every audit record is unaltered and linked to the one before")
def check_chain(conn: sa.Connection) -> list[Problem]:
    result = verify_chain(conn)
    if result.broken is None:
        return []
    return [
        Problem(
            "audit.chain",
            f"audit record {result.broken.record_id}: {result.broken.reason}",
            ref=str(result.broken.record_id),
        )
    ]
