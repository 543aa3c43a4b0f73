"""Pipeline stages, opportunities and the weighted pipeline report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import currency_places, quantize, to_decimal
from hansa.parties.domain.crm import (
    Opportunity,
    PipelineRow,
    Stage,
    check_probability,
    pipeline,
)
from hansa.parties.domain.crypto import Keyring
from hansa.parties.errors import BadPartyInput, OpportunityNotFound
from hansa.parties.repository import crm as repo
from hansa.parties.service.parties import load
from hansa.parties.tables import opportunities

READ, WRITE = "parties.lead.read", "parties.lead.write"


def _stage(uow: UnitOfWork, name: str) -> Stage:
    stages = {s.name: s for s in repo.stages(uow.conn)}
    if name not in stages:
        raise BadPartyInput(f"there is no stage {name!r}: use {', '.join(stages)}")
    return stages[name]


def insert_opportunity(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    party_id: int | None,
    lead_id: int | None,
    stage: str,
    expected_revenue: Decimal,
    currency: str,
    probability: int | None,
    close_date: date | None,
    owner: str,
) -> Opportunity:
    currency = currency.strip().upper()
    expected_revenue = quantize(expected_revenue, currency_places(currency))
    if expected_revenue < 0:
        raise BadPartyInput("expected revenue cannot be negative")
    found = _stage(uow, stage)
    opp_id = repo.insert(
        uow.conn,
        opportunities,
        {
            "name": name,
            "party_id": party_id,
            "lead_id": lead_id,
            "stage": found.name,
            "expected_revenue": expected_revenue,
            "currency": currency.upper(),
            "probability": check_probability(
                found.probability if probability is None else probability
            ),
            "close_date": close_date,
            "owner": owner,
            "created_at": clock.now(),
        },
    )
    opp = get_opportunity_within(uow, opp_id)
    audit.record(
        uow,
        actor,
        "parties.opportunity.create",
        "opportunity",
        opp_id,
        after={
            "stage": opp.stage,
            "expected_revenue": opp.expected_revenue,
            "currency": opp.currency,
            "probability": opp.probability,
        },
    )
    publish(uow, DomainEvent("parties.opportunity_created", {"id": opp_id}))
    return opp


def get_opportunity_within(uow: UnitOfWork, opp_id: int) -> Opportunity:
    found = repo.opportunity_rows(uow.conn, opp_id)
    if not found:
        raise OpportunityNotFound(f"there is no opportunity {opp_id}")
    return found[0]


@use_case
def add_opportunity(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    name: str,
    party: str | None = None,
    stage: str = "new",
    expected_revenue: Decimal | str = Decimal(0),
    currency: str = "EUR",
    probability: int | None = None,
    close_date: date | None = None,
    owner: str | None = None,
) -> Opportunity:
    """An opportunity, optionally for a party; its probability defaults to the stage's."""
    actor.require(WRITE)
    with uow:
        party_id = load(uow, keys, party).id if party else None
        opp = insert_opportunity(
            uow,
            actor,
            name=name,
            party_id=party_id,
            lead_id=None,
            stage=stage,
            expected_revenue=to_decimal(expected_revenue),
            currency=currency,
            probability=probability,
            close_date=close_date,
            owner=owner or actor.username,
        )
        uow.commit()
    return opp


@use_case
def move_opportunity(
    uow: UnitOfWork, actor: Actor, opp_id: int, stage: str, probability: int | None = None
) -> Opportunity:
    """Move an opportunity to *stage*; its probability becomes the stage's unless given."""
    actor.require(WRITE)
    with uow:
        before = get_opportunity_within(uow, opp_id)
        found = _stage(uow, stage)
        chance = check_probability(found.probability if probability is None else probability)
        repo.update_opportunity(
            uow.conn, opp_id, before.version, {"stage": found.name, "probability": chance}
        )
        after = get_opportunity_within(uow, opp_id)
        audit.record(
            uow,
            actor,
            "parties.opportunity.move",
            "opportunity",
            opp_id,
            before={"stage": before.stage, "probability": before.probability},
            after={"stage": after.stage, "probability": after.probability},
        )
        uow.commit()
    return after


def list_opportunities(uow: UnitOfWork, actor: Actor) -> list[Opportunity]:
    actor.require(READ)
    with uow:
        return repo.opportunity_rows(uow.conn)


def list_stages(uow: UnitOfWork, actor: Actor) -> list[Stage]:
    actor.require(READ)
    with uow:
        return repo.stages(uow.conn)


@use_case
def set_stage(
    uow: UnitOfWork, actor: Actor, name: str, *, probability: int, sequence: int | None = None
) -> Stage:
    """Add a pipeline stage or change its default probability (and its place)."""
    actor.require(WRITE)
    check_probability(probability)
    with uow:
        stages = {s.name: s for s in repo.stages(uow.conn)}
        place = sequence or (stages[name].sequence if name in stages else len(stages) + 1)
        repo.put_stage(
            uow.conn,
            Stage(name, place, probability, stages[name].outcome if name in stages else None),
        )
        audit.record(
            uow,
            actor,
            "parties.stage.set",
            "stage",
            name,
            after={"probability": probability, "sequence": place},
        )
        uow.commit()
    return Stage(name, place, probability)


def pipeline_report(uow: UnitOfWork, actor: Actor) -> list[PipelineRow]:
    """Open opportunities (stages without an outcome): expected and weighted revenue
    per stage, owner and currency."""
    actor.require(READ)
    with uow:
        stages = repo.stages(uow.conn)
        opps = repo.opportunity_rows(uow.conn)
    open_stages = {s.name for s in stages if s.outcome is None}
    return pipeline([o for o in opps if o.stage in open_stages], stages)
