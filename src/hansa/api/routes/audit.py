"""The audit trail."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hansa import audit
from hansa.api.deps import ActorDep, ReadUowDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: str | None
    after: str | None
    request_id: str
    hash: str


class VerificationOut(BaseModel):
    ok: bool
    checked: int
    first_broken_record: int | None
    reason: str | None


@router.get("", response_model=list[AuditOut])
def list_audit(
    actor: ActorDep,
    uow: ReadUowDep,
    limit: int = Query(50, ge=1, le=10_000),
    user: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[AuditOut]:
    records = audit.list_records(
        uow, actor, limit=limit, user=user, action=action, since=since, until=until
    )
    return [AuditOut.model_validate(r.__dict__) for r in records]


@router.get("/verify", response_model=VerificationOut)
def verify(actor: ActorDep, uow: ReadUowDep) -> VerificationOut:
    result = audit.verify(uow, actor)
    broken = result.broken
    return VerificationOut(
        ok=result.ok,
        checked=result.checked,
        first_broken_record=broken.record_id if broken else None,
        reason=broken.reason if broken else None,
    )
