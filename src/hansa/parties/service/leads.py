"""Leads: add, qualify or lose, and convert into a customer and an opportunity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.money import to_decimal
from hansa.parties.domain.crm import (
    Lead,
    LeadStatus,
    Opportunity,
    lead_transition,
)
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.parties import display_name
from hansa.parties.errors import BadPartyInput, LeadNotFound
from hansa.parties.repository import crm as repo
from hansa.parties.service.codec import opened, sealed
from hansa.parties.service.parties import insert_party, new_fields
from hansa.parties.service.pipeline import insert_opportunity
from hansa.parties.tables import leads

READ, WRITE = "parties.lead.read", "parties.lead.write"


def _lead(keys: Keyring, row: sa.Row[Any], code: str | None) -> Lead:
    return Lead(
        row.id,
        row.name,
        row.organisation,
        opened(keys, row.email_enc),
        opened(keys, row.phone_enc),
        row.source,
        LeadStatus(row.status),
        code,
        row.owner,
        row.version,
    )


def load_lead(uow: UnitOfWork, keys: Keyring, lead_id: int) -> Lead:
    found = repo.lead_row(uow.conn, lead_id)
    if found is None:
        raise LeadNotFound(f"there is no lead {lead_id}")
    row, code = found
    return _lead(keys, row, code)


@use_case
def add_lead(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    name: str,
    organisation: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    source: str | None = None,
) -> Lead:
    """A new lead: someone who may buy, with where they came from (web, fair...)."""
    actor.require(WRITE)
    if not name.strip():
        raise BadPartyInput("a lead needs a name")
    values: dict[str, Any] = {
        "name": name.strip(),
        "organisation": organisation,
        "source": source,
        "status": LeadStatus.new.value,
        "owner": actor.username,
        "created_at": clock.now(),
        **sealed(keys, "email", email),
        **sealed(keys, "phone", phone),
    }
    values.pop("phone_hash")
    with uow:
        lead_id = repo.insert(uow.conn, leads, values)
        audit.record(uow, actor, "parties.lead.create", "lead", lead_id, after={"source": source})
        lead = load_lead(uow, keys, lead_id)
        uow.commit()
    return lead


def list_leads(
    uow: UnitOfWork, actor: Actor, keys: Keyring, status: str | None = None
) -> list[Lead]:
    actor.require(READ)
    wanted = LeadStatus(status) if status else None
    with uow:
        return [_lead(keys, r, c) for r, c in repo.lead_rows(uow.conn, wanted)]


@use_case
def set_lead_status(
    uow: UnitOfWork, actor: Actor, keys: Keyring, lead_id: int, status: str
) -> Lead:
    """Qualify a lead, mark it lost, or revive a lost one (conversion: convert_lead)."""
    actor.require(WRITE)
    target = LeadStatus(status) if status in LeadStatus.__members__ else None
    if target is None or target is LeadStatus.converted:
        raise BadPartyInput(f"a lead's status is set to new, qualified or lost, not {status!r}")
    with uow:
        lead = load_lead(uow, keys, lead_id)
        lead_transition(lead.status, target)
        repo.update_lead(uow.conn, lead.id, lead.version, {"status": target.value})
        audit.record(
            uow,
            actor,
            "parties.lead.status",
            "lead",
            lead.id,
            before={"status": lead.status.value},
            after={"status": target.value},
        )
        lead = load_lead(uow, keys, lead_id)
        uow.commit()
    return lead


@use_case
def convert_lead(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    lead_id: int,
    *,
    opportunity: str | None = None,
    expected_revenue: Decimal | str = Decimal(0),
    currency: str = "EUR",
    close_date: date | None = None,
) -> tuple[Lead, Opportunity]:
    """Turn a lead into a customer (named after its organisation, else the person) and
    an opportunity in the ``qualified`` stage, in one transaction."""
    actor.require(WRITE)
    actor.require("parties.customer.write")
    with uow:
        lead = load_lead(uow, keys, lead_id)
        lead_transition(lead.status, LeadStatus.converted)
        kind, display = (
            display_name(lead.organisation, None, None)
            if lead.organisation
            else (display_name(None, lead.name, None))
        )
        fields = new_fields(kind, None, None, True, False, 0, None, currency)
        fields.update(organisation=None, email=lead.email, phone=lead.phone)
        party = insert_party(uow, actor, keys, display, fields)
        repo.update_lead(
            uow.conn,
            lead.id,
            lead.version,
            {"status": LeadStatus.converted.value, "party_id": party.id},
        )
        opp = insert_opportunity(
            uow,
            actor,
            name=opportunity or f"{party.code} from lead {lead.id}",
            party_id=party.id,
            lead_id=lead.id,
            stage="qualified",
            expected_revenue=to_decimal(expected_revenue),
            currency=currency,
            probability=None,
            close_date=close_date,
            owner=actor.username,
        )
        audit.record(
            uow,
            actor,
            "parties.lead.convert",
            "lead",
            lead.id,
            after={"party": party.code, "opportunity": opp.id},
        )
        lead = load_lead(uow, keys, lead_id)
        uow.commit()
    return lead, opp
