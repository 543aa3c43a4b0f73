"""CRM: /api/v1/crm leads, opportunities, stages, the pipeline and activities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from hansa import parties
from hansa.api.deps import ActorDep, ReadUowDep, UowDep
from hansa.api.payload import as_json
from hansa.api.routes.parties import KeysDep

router = APIRouter(prefix="/api/v1/crm", tags=["crm"])


class LeadIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    source: str | None = None


class LeadStatusIn(BaseModel):
    status: Literal["new", "qualified", "lost"]


class ConvertIn(BaseModel):
    opportunity: str | None = None
    expected_revenue: Decimal = Decimal(0)
    currency: str = "EUR"
    close_date: date | None = None


class OpportunityIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    customer: str | None = None
    stage: str = "new"
    expected_revenue: Decimal = Decimal(0)
    currency: str = "EUR"
    probability: int | None = Field(None, ge=0, le=100)
    close_date: date | None = None
    owner: str | None = None


class MoveIn(BaseModel):
    stage: str
    probability: int | None = Field(None, ge=0, le=100)


class StageIn(BaseModel):
    probability: int = Field(ge=0, le=100)
    sequence: int | None = None


class ActivityIn(BaseModel):
    kind: Literal["call", "email", "meeting", "note", "task"]
    subject: str = Field(min_length=1, max_length=500)
    notes: str | None = None
    due_date: date | None = None
    party: str | None = None
    lead: int | None = None
    opportunity: int | None = None


@router.get("/leads")
def list_leads(actor: ActorDep, uow: ReadUowDep, keys: KeysDep, status: str | None = None) -> Any:
    return as_json(parties.list_leads(uow, actor, keys, status))


@router.post("/leads", status_code=status.HTTP_201_CREATED)
def add_lead(body: LeadIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    fields = body.model_dump()
    fields["organisation"] = fields.pop("company")
    return as_json(parties.add_lead(uow, actor, keys, **fields))


@router.put("/leads/{lead_id}/status")
def set_lead_status(
    lead_id: int, body: LeadStatusIn, actor: ActorDep, uow: UowDep, keys: KeysDep
) -> Any:
    return as_json(parties.set_lead_status(uow, actor, keys, lead_id, body.status))


@router.post("/leads/{lead_id}/convert")
def convert_lead(lead_id: int, body: ConvertIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    lead, opp = parties.convert_lead(uow, actor, keys, lead_id, **body.model_dump())
    return as_json({"lead": lead, "opportunity": opp})


@router.post("/leads/{lead_id}/gdpr-erase")
def gdpr_erase_lead(lead_id: int, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    """Erase the personal data of a lead that never became a customer."""
    return as_json(parties.erase_lead(uow, actor, keys, lead_id))


@router.get("/opportunities")
def list_opportunities(actor: ActorDep, uow: ReadUowDep) -> Any:
    return as_json(parties.list_opportunities(uow, actor))


@router.post("/opportunities", status_code=status.HTTP_201_CREATED)
def add_opportunity(body: OpportunityIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    fields = body.model_dump()
    fields["party"] = fields.pop("customer")
    return as_json(parties.add_opportunity(uow, actor, keys, **fields))


@router.put("/opportunities/{opp_id}/stage")
def move_opportunity(opp_id: int, body: MoveIn, actor: ActorDep, uow: UowDep) -> Any:
    return as_json(parties.move_opportunity(uow, actor, opp_id, body.stage, body.probability))


@router.get("/stages")
def list_stages(actor: ActorDep, uow: UowDep) -> Any:
    return as_json(parties.list_stages(uow, actor))


@router.put("/stages/{name}")
def set_stage(name: str, body: StageIn, actor: ActorDep, uow: UowDep) -> Any:
    return as_json(parties.set_stage(uow, actor, name, **body.model_dump()))


@router.get("/pipeline")
def pipeline(actor: ActorDep, uow: ReadUowDep) -> Any:
    """Open opportunities: expected and weighted revenue per stage, owner and currency."""
    return as_json(parties.pipeline_report(uow, actor))


@router.post("/activities", status_code=status.HTTP_201_CREATED)
def add_activity(body: ActivityIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    return as_json(parties.add_activity(uow, actor, keys, **body.model_dump()))


@router.post("/activities/{activity_id}/done")
def complete_activity(activity_id: int, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    return as_json(parties.complete_activity(uow, actor, keys, activity_id))


@router.get("/activities")
def activity_history(
    actor: ActorDep,
    uow: ReadUowDep,
    keys: KeysDep,
    party: str | None = None,
    lead: int | None = None,
    opportunity: int | None = None,
) -> Any:
    """The communication history of a party, lead or opportunity."""
    return as_json(
        parties.activity_history(uow, actor, keys, party=party, lead=lead, opportunity=opportunity)
    )


@router.get("/rfm")
def rfm_segments(
    actor: ActorDep,
    uow: ReadUowDep,
    as_of: date | None = None,
    days: int = 365,
    buckets: int = 5,
    company: str | None = None,
) -> Any:
    """RFM scores per customer from the posted sales (income lines naming it)."""
    scores = parties.rfm_segments(uow, actor, company, as_of=as_of, days=days, buckets=buckets)
    return [{**as_json(s), "segment": s.segment} for s in scores]
