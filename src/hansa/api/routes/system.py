"""Integrity checks and the event outbox."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hansa import events, system
from hansa.api.deps import ActorDep, ReadUowDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["system"])


class CheckOut(BaseModel):
    name: str
    ok: bool
    problems: list[str]
    error: str | None


class EventOut(BaseModel):
    seq: int
    id: str
    topic: str
    occurred_at: datetime
    status: str
    attempts: int
    last_error: str | None


class DispatchOut(BaseModel):
    delivered: int
    failed: int
    dead: int


@router.get("/checks", response_model=list[CheckOut])
def run_checks(actor: ActorDep, uow: ReadUowDep) -> list[CheckOut]:
    return [
        CheckOut(name=o.name, ok=o.ok, problems=[p.message for p in o.problems], error=o.error)
        for o in system.run_checks(uow, actor)
    ]


@router.get("/events", response_model=list[EventOut])
def list_events(
    actor: ActorDep,
    uow: ReadUowDep,
    limit: int = Query(50, ge=1, le=10_000),
    status: str | None = None,
) -> list[EventOut]:
    return [
        EventOut(
            seq=r.seq,
            id=r.event.id,
            topic=r.event.topic,
            occurred_at=r.event.occurred_at,
            status=r.status,
            attempts=r.attempts,
            last_error=r.last_error,
        )
        for r in events.list_events(uow, actor, limit=limit, status=status)
    ]


@router.post("/events/dispatch", response_model=DispatchOut)
def dispatch(actor: ActorDep, uow: UowDep) -> DispatchOut:
    report = events.dispatch_pending(uow, actor)
    return DispatchOut(delivered=report.delivered, failed=report.failed, dead=report.dead)
