"""GDPR: export every personal datum held about a party; erase it for good.

Erasure replaces the party's name with a pseudonym and clears every personal field of
the party, its contacts, the leads it came from and its activities. The ledger knows the
party only by its code, so entries, balances and open items stay exactly as they were.
"""

from __future__ import annotations

from typing import Any

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import currency_places, quantize
from hansa.parties.domain.crm import Lead
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import search_key
from hansa.parties.domain.parties import PERSONAL_FIELDS, Party, pseudonym
from hansa.parties.errors import PartyRuleViolation
from hansa.parties.repository import crm as crm_repo
from hansa.parties.repository import parties as repo
from hansa.parties.service.codec import opened
from hansa.parties.service.leads import load_lead
from hansa.parties.service.parties import load

EXPORT, ERASE = "parties.gdpr.export", "parties.gdpr.erase"
ERASED_TEXT = "(erased)"


def _party_data(party: Party) -> dict[str, Any]:
    return {
        "code": party.code,
        "kind": party.kind.value,
        "name": party.name,
        "first_name": party.first_name,
        "last_name": party.last_name,
        "company": party.organisation,
        **{f: getattr(party, f) for f in PERSONAL_FIELDS},
        "roles": list(party.roles),
        "tags": list(party.tags),
        "payment_terms_days": party.payment_terms_days,
        "credit_limit": str(party.credit_limit) if party.credit_limit is not None else None,
        "currency": party.currency,
        "active": party.active,
        "created_at": party.created_at.isoformat() if party.created_at else None,
    }


@use_case
def export_personal_data(
    uow: UnitOfWork, actor: Actor, keys: Keyring, key: str | int
) -> dict[str, Any]:
    """Every personal datum held about the party, decrypted: the party, its contacts,
    the leads it came from, its activities and opportunities. The export is audited
    (that it happened, not what it held)."""
    actor.require(EXPORT)
    with uow:
        party = load(uow, keys, key)
        history = crm_repo.history_of(uow.conn, party.id)
        data = {
            "exported_at": clock.now().isoformat(),
            "party": _party_data(party),
            "contacts": [
                {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
                for c in party.contacts
            ],
            "leads": [
                {
                    "name": r.name,
                    "company": r.organisation,
                    "email": opened(keys, r.email_enc),
                    "phone": opened(keys, r.phone_enc),
                    "source": r.source,
                    "status": r.status,
                }
                for r in history.leads
            ],
            "opportunities": [
                {
                    "name": r.name,
                    "stage": r.stage,
                    "expected_revenue": str(
                        quantize(r.expected_revenue, currency_places(r.currency))
                    ),
                    "currency": r.currency,
                    "close_date": r.close_date and r.close_date.isoformat(),
                }
                for r in history.opportunities
            ],
            "activities": [
                {
                    "kind": r.kind,
                    "subject": opened(keys, r.subject_enc),
                    "notes": opened(keys, r.notes_enc),
                    "due_date": r.due_date and r.due_date.isoformat(),
                    "done": r.done,
                    "at": r.at.isoformat(),
                }
                for r in history.activities
            ],
        }
        audit.record(uow, actor, "parties.gdpr.export", "party", party.code)
        uow.commit()
    return data


@use_case
def erase_party(uow: UnitOfWork, actor: Actor, keys: Keyring, key: str | int) -> Party:
    """Replace the party's personal data with a pseudonym (``Erased party C00001``),
    everywhere it is held; accounting records keep the code and stay intact. The audit
    log records the erasure and which fields were held, never their values."""
    actor.require(ERASE)
    with uow:
        party = load(uow, keys, key)
        name = pseudonym(party.code)
        held = [f for f in PERSONAL_FIELDS if getattr(party, f) is not None]
        cleared: dict[str, Any] = {f"{f}_enc": None for f in PERSONAL_FIELDS}
        cleared.update(email_hash=None, phone_hash=None, tax_id_hash=None)
        repo.update_party(
            uow.conn,
            party.id,
            party.code,
            party.version,
            {
                **cleared,
                "name": name,
                "search_name": search_key(name),
                "first_name": None,
                "last_name": None,
                "organisation": None,
                "erased": True,
            },
        )
        repo.reindex(uow.conn, [party.id])
        repo.delete_contacts(uow.conn, party.id)
        crm_repo.erase_history(uow.conn, party.id, name, keys.encrypt(ERASED_TEXT))
        audit.record(
            uow,
            actor,
            "parties.gdpr.erase",
            "party",
            party.code,
            before={"personal": held, "contacts": len(party.contacts)},
            after={"erased": True, "name": name},
        )
        publish(uow, DomainEvent("parties.party_erased", {"id": party.id, "code": party.code}))
        erased = load(uow, keys, party.id)
        uow.commit()
    return erased


@use_case
def erase_lead(uow: UnitOfWork, actor: Actor, keys: Keyring, lead_id: int) -> Lead:
    """Erase the personal data of a lead that never became a customer (a converted
    lead is erased with its customer: :func:`erase_party`)."""
    actor.require(ERASE)
    with uow:
        lead = load_lead(uow, keys, lead_id)
        if lead.party_code is not None:
            raise PartyRuleViolation(
                f"lead {lead_id} became customer {lead.party_code}: erase the customer"
            )
        crm_repo.erase_lead(uow.conn, lead.id, f"Erased lead {lead.id}", keys.encrypt(ERASED_TEXT))
        audit.record(uow, actor, "parties.gdpr.erase_lead", "lead", lead.id, after={"erased": True})
        erased = load_lead(uow, keys, lead.id)
        uow.commit()
    return erased
