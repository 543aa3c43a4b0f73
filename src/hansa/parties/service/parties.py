"""Parties: add, read, list and search.

A customer is a party with the customer role, a vendor one with the vendor role; the
permissions follow the role (``parties.customer.write``, ``parties.vendor.write``).
The ledger knows a party as the partner named by its code (``C00001``), so receivables,
payables and aging name it without holding any personal datum.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import currency_places, to_decimal
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import search_key
from hansa.parties.domain.parties import (
    PERSONAL_FIELDS,
    Party,
    PartyKind,
    check_credit_limit,
    check_tags,
    check_terms,
    display_name,
    party_code,
)
from hansa.parties.errors import BadPartyInput, PartyNotFound
from hansa.parties.repository import parties as repo
from hansa.parties.service import access
from hansa.parties.service.codec import (
    HASHED,
    contact_of,
    name_words,
    party_of,
    sealed,
    snapshot,
)

MAX_PAGE = 500
CODE = re.compile(r"[CcVv]\d{5,}")  # a party code: C00001, V00012


@dataclass(frozen=True)
class PartyPage:
    parties: list[Party]
    total: int
    page: int
    limit: int


def party_row(keys: Keyring, code: str, name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The stored row of a new party (personal fields sealed)."""
    row: dict[str, Any] = {
        "code": code,
        "name": name,
        "search_name": search_key(name)[:200],
        "created_at": clock.now(),
    }
    for key, value in fields.items():
        if key in PERSONAL_FIELDS:
            row.update(sealed(keys, key, value))
        else:
            row[key] = value
    return row


def load(uow: UnitOfWork, keys: Keyring, key: str | int) -> Party:
    """The party *key* (id or code) with its tags and contacts."""
    row = repo.find_row(uow.conn, key)
    if row is None:
        raise PartyNotFound(f"there is no party {key!r}")
    contacts = tuple(contact_of(keys, c) for c in repo.contact_rows(uow.conn, row.id))
    return party_of(keys, row, repo.tags_of(uow.conn, [row.id]).get(row.id, ()), contacts)


def new_fields(
    kind: PartyKind,
    first_name: str | None,
    last_name: str | None,
    customer: bool,
    vendor: bool,
    payment_terms_days: int,
    credit_limit: Decimal | str | None,
    currency: str | None,
) -> dict[str, Any]:
    """The stored fields of a new party other than its name and personal data."""
    if not (customer or vendor):
        raise BadPartyInput("a party is a customer, a vendor or both")
    return {
        "kind": kind.value,
        "first_name": first_name.strip() if first_name else None,
        "last_name": last_name.strip() if last_name else None,
        "is_customer": customer,
        "is_vendor": vendor,
        "payment_terms_days": check_terms(payment_terms_days),
        "credit_limit": check_credit_limit(
            None if credit_limit is None else to_decimal(credit_limit)
        ),
        "currency": check_currency(currency),
    }


def check_currency(currency: str | None) -> str | None:
    """An ISO 4217 code (upper case), or None."""
    code = (currency or "").strip().upper()
    if code:
        currency_places(code)  # refuses what is not an ISO 4217 currency
    return code or None


@use_case
def add_party(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    name: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    customer: bool = True,
    vendor: bool = False,
    organisation: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    billing_address: str | None = None,
    shipping_address: str | None = None,
    tax_id: str | None = None,
    notes: str | None = None,
    payment_terms_days: int = 0,
    credit_limit: Decimal | str | None = None,
    currency: str | None = None,
    tags: Sequence[str] = (),
) -> Party:
    """Add a customer and/or vendor. It gets a code that never changes: ``C00001`` for a
    customer, ``V00001`` for a vendor that is not also a customer."""
    for role in [r for r, on in (("customer", customer), ("vendor", vendor)) if on]:
        actor.require(f"parties.{role}.write")
    kind, display = display_name(name, first_name, last_name)
    fields = new_fields(
        kind,
        first_name,
        last_name,
        customer,
        vendor,
        payment_terms_days,
        credit_limit,
        currency,
    )
    fields["organisation"] = organisation.strip() if organisation else None
    personal = {
        "email": email,
        "phone": phone,
        "billing_address": billing_address,
        "shipping_address": shipping_address,
        "tax_id": tax_id,
        "notes": notes,
    }
    with uow:
        party = insert_party(uow, actor, keys, display, {**fields, **personal}, tags)
        uow.commit()
    return party


def insert_party(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    display: str,
    fields: Mapping[str, Any],
    tags: Sequence[str] = (),
) -> Party:
    """Store a new party inside the caller's unit of work (numbered, indexed, audited)."""
    prefix = "C" if fields["is_customer"] else "V"
    code = party_code(prefix, repo.next_number(uow.conn, prefix))
    (party_id,) = repo.insert_parties(uow.conn, [party_row(keys, code, display, fields)])
    repo.reindex(uow.conn, [party_id])
    repo.set_tags(uow.conn, {party_id: check_tags(tags)})
    party = load(uow, keys, party_id)
    audit.record(uow, actor, "parties.party.create", "party", code, after=snapshot(party))
    publish(uow, DomainEvent("parties.party_created", {"id": party_id, "code": code}))
    return party


def get_party(uow: UnitOfWork, actor: Actor, keys: Keyring, key: str | int) -> Party:
    """The party *key* (its id or code), decrypted, with contacts and tags."""
    with uow:
        party = load(uow, keys, key)
    access.require_party(actor, party, "read")
    return party


def list_parties(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    role: str | None = None,
    include_archived: bool = False,
    tag: str | None = None,
    page: int = 1,
    limit: int = 50,
    sort_by: str = "name",
    order: str = "asc",
) -> PartyPage:
    """One page of parties (customers, vendors, or those the actor may see)."""
    role = access.readable_role(actor, role)
    if sort_by not in repo.SORTABLE:
        raise BadPartyInput(f"cannot sort by {sort_by!r}: use {', '.join(repo.SORTABLE)}")
    if order not in ("asc", "desc"):
        raise BadPartyInput(f"order is asc or desc, not {order!r}")
    if page < 1 or not 1 <= limit <= MAX_PAGE:
        raise BadPartyInput(f"page starts at 1 and limit is 1 to {MAX_PAGE}")
    with uow:
        rows, total = repo.page(
            uow.conn,
            role=role,
            include_archived=include_archived,
            tag=check_tags([tag])[0] if tag else None,
            sort_by=sort_by,
            descending=order == "desc",
            offset=(page - 1) * limit,
            limit=limit,
        )
        found = _parties(uow.conn, keys, rows)
    return PartyPage(found, total, page, limit)


def _parties(conn: sa.Connection, keys: Keyring, rows: Sequence[sa.Row[Any]]) -> list[Party]:
    party_tags = repo.tags_of(conn, [r.id for r in rows])
    return [party_of(keys, r, party_tags.get(r.id, ())) for r in rows]


def search_parties(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    query: str,
    *,
    role: str | None = None,
    limit: int = 50,
) -> list[Party]:
    """Active parties matching *query*: a party code (``C00001``) finds that party; an
    e-mail address (``@``), or a phone number or tax id that matches no name, matches
    its field exactly (through the keyed hash); otherwise every word of the query must
    start a word of the name, ignoring case and accents (``mull`` finds ``Hans Müller``).
    """
    role = access.readable_role(actor, role)
    text = query.strip()
    if not text:
        raise BadPartyInput("search for something: a name, an e-mail, a phone or a tax id")
    with uow:
        ids = _matching_ids(uow.conn, keys, text, role, limit)
        rows = repo.rows_by_ids(uow.conn, ids) if ids else []
        return _parties(uow.conn, keys, rows)


def _matching_ids(
    conn: sa.Connection, keys: Keyring, text: str, role: str | None, limit: int
) -> list[int]:
    if CODE.fullmatch(text):
        row = repo.find_row(conn, text)
        found = row is not None and row.active and (role is None or row._mapping[f"is_{role}"])
        return [row.id] if row is not None and found else []
    if "@" in text:
        digest = keys.blind_index("email", HASHED["email"](text))
        return repo.ids_by_hash(conn, "email_hash", digest, role, limit)
    ids = repo.search_ids(conn, sorted(name_words(text)), role, limit)
    if ids or not any(c.isdigit() for c in text):
        return ids
    for field in ("phone", "tax_id"):
        digest = keys.blind_index(field, HASHED[field](text))
        ids = repo.ids_by_hash(conn, f"{field}_hash", digest, role, limit)
        if ids:
            break
    return ids
