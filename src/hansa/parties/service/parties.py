"""Parties: add, read, list, search, update, tag, archive, delete; contacts.

A customer is a party with the customer role, a vendor one with the vendor role; the
permissions follow the role (``parties.customer.write``, ``parties.vendor.write``).
The ledger knows a party as the partner named by its code (``C00001``), so receivables,
payables and aging name it without holding any personal datum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa import audit, ledger
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import to_decimal
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import search_key
from hansa.parties.domain.parties import (
    Party,
    check_credit_limit,
    check_tags,
    check_terms,
    display_name,
    party_code,
)
from hansa.parties.errors import BadPartyInput, PartyHasHistory, PartyNotFound
from hansa.parties.repository import crm as crm_repo
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

PERSONAL = ("email", "phone", "billing_address", "shipping_address", "tax_id", "notes")
MAX_PAGE = 500


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
        if key in PERSONAL:
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


def _new_fields(
    kind_name: tuple[str, str],
    first_name: str | None,
    last_name: str | None,
    customer: bool,
    vendor: bool,
    payment_terms_days: int,
    credit_limit: Decimal | str | None,
    currency: str | None,
) -> dict[str, Any]:
    if not (customer or vendor):
        raise BadPartyInput("a party is a customer, a vendor or both")
    return {
        "kind": kind_name[0],
        "first_name": first_name.strip() if first_name else None,
        "last_name": last_name.strip() if last_name else None,
        "is_customer": customer,
        "is_vendor": vendor,
        "payment_terms_days": check_terms(payment_terms_days),
        "credit_limit": check_credit_limit(
            None if credit_limit is None else to_decimal(credit_limit)
        ),
        "currency": currency.strip().upper() if currency else None,
    }


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
    for role in (
        ("customer", "vendor")
        if customer and vendor
        else (("customer",) if customer else ("vendor",))
    ):
        actor.require(f"parties.{role}.write")
    kind, display = display_name(name, first_name, last_name)
    fields = _new_fields(
        (kind.value, display),
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
    tag_list = check_tags(tags)
    with uow:
        code = party_code(
            "C" if customer else "V", repo.next_number(uow.conn, "C" if customer else "V")
        )
        (party_id,) = repo.insert_parties(
            uow.conn, [party_row(keys, code, display, {**fields, **personal})]
        )
        repo.set_words(uow.conn, {party_id: name_words(display)})
        repo.set_tags(uow.conn, {party_id: tag_list})
        party = load(uow, keys, party_id)
        audit.record(uow, actor, "parties.party.create", "party", code, after=snapshot(party))
        publish(uow, DomainEvent("parties.party_created", {"id": party_id, "code": code}))
        uow.commit()
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
    """Active parties matching *query*: an e-mail address (``@``) or a phone number or
    tax id matches its field exactly (through the keyed hash); otherwise every word of
    the query must start a word of the name, ignoring case and accents
    (``mull`` finds ``Hans Müller``)."""
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


@use_case
def update_party(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    key: str | int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Party:
    """Change a party. *changes* may hold ``name``, ``first_name``, ``last_name``,
    ``organisation``, the personal fields, ``payment_terms_days``, ``credit_limit``,
    ``currency``, ``customer``, ``vendor`` and ``tags``; ``None`` or ``""`` clears an
    optional field. The audit log records which personal fields changed, not their
    values."""
    with uow:
        before = load(uow, keys, key)
        access.require_party(actor, before, "write")
        version = before.version if expected_version is None else expected_version
        values = _changed_columns(actor, keys, before, changes)
        tags = check_tags(changes.get("tags") or ()) if "tags" in changes else before.tags
        if not values and tags == before.tags:
            return before
        repo.update_party(
            uow.conn, before.id, before.code, version, values
        )  # bumps the version even for tags alone
        if "name" in values:
            repo.set_words(uow.conn, {before.id: name_words(values["name"])})
        if tags != before.tags:
            repo.set_tags(uow.conn, {before.id: tags})
        after = load(uow, keys, before.id)
        audit.record(
            uow,
            actor,
            "parties.party.update",
            "party",
            before.code,
            before=snapshot(before),
            after=snapshot(after),
        )
        publish(uow, DomainEvent("parties.party_updated", {"id": after.id, "code": after.code}))
        uow.commit()
    return after


def _changed_columns(
    actor: Actor, keys: Keyring, party: Party, changes: Mapping[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    unknown = set(changes) - {
        *PERSONAL,
        "name",
        "first_name",
        "last_name",
        "organisation",
        "payment_terms_days",
        "credit_limit",
        "currency",
        "customer",
        "vendor",
        "tags",
    }
    if unknown:
        raise BadPartyInput(f"cannot change {', '.join(sorted(unknown))} of a party")
    for field in PERSONAL:
        if field in changes and (changes[field] or None) != getattr(party, field):
            values.update(sealed(keys, field, changes[field] or None))
    first = changes.get("first_name", party.first_name)
    last = changes.get("last_name", party.last_name)
    if "name" in changes or "first_name" in changes or "last_name" in changes:
        name = changes.get("name") if "name" in changes else None
        if name is None and party.kind.value == "organisation":
            name = party.name
        kind, display = display_name(name, None if name else first, None if name else last)
        if display != party.name or kind is not party.kind:
            values.update(kind=kind.value, name=display, search_name=search_key(display)[:200])
        values.update(first_name=first or None, last_name=last or None)
    if "organisation" in changes:
        values["organisation"] = changes["organisation"] or None
    if "payment_terms_days" in changes:
        values["payment_terms_days"] = check_terms(int(changes["payment_terms_days"]))
    if "credit_limit" in changes:
        limit = changes["credit_limit"]
        values["credit_limit"] = check_credit_limit(
            None if limit in (None, "") else to_decimal(limit)
        )
    if "currency" in changes:
        values["currency"] = (changes["currency"] or "").strip().upper() or None
    for role in ("customer", "vendor"):
        if role in changes and bool(changes[role]) != (role in party.roles):
            actor.require(f"parties.{role}.write")
            values[f"is_{role}"] = bool(changes[role])
    if not values.get("is_customer", party.is_customer) and not values.get(
        "is_vendor", party.is_vendor
    ):
        raise BadPartyInput("a party is a customer, a vendor or both")
    return values


@use_case
def archive_party(
    uow: UnitOfWork, actor: Actor, keys: Keyring, key: str | int, *, archived: bool = True
) -> Party:
    """Archive (or restore) a party: archived parties leave lists and searches; their
    history stays."""
    with uow:
        party = load(uow, keys, key)
        access.require_party(actor, party, "write")
        if party.active != archived:
            return party
        repo.update_party(uow.conn, party.id, party.code, party.version, {"active": not archived})
        after = load(uow, keys, party.id)
        action = "parties.party.archive" if archived else "parties.party.restore"
        audit.record(
            uow, actor, action, "party", party.code, before=snapshot(party), after=snapshot(after)
        )
        uow.commit()
    return after


def in_use(uow: UnitOfWork, party: Party) -> bool:
    """Whether the party has history: ledger lines or entries under its code, or CRM
    activities, leads or opportunities."""
    return ledger.partner_in_use(uow, party.code) or crm_repo.party_has_history(uow.conn, party.id)


@use_case
def delete_party(
    uow: UnitOfWork, actor: Actor, keys: Keyring, key: str | int, *, archive_if_used: bool = False
) -> str:
    """Delete a party that has no history. One with history (see :func:`in_use`) is
    refused, or archived instead when *archive_if_used*. Returns ``deleted`` or
    ``archived``."""
    with uow:
        party = load(uow, keys, key)
        access.require_party(actor, party, "write")
        if in_use(uow, party):
            if not archive_if_used:
                raise PartyHasHistory(
                    f"party {party.code} has history (ledger entries or CRM records); "
                    "archive it instead (or delete with --force to archive it)"
                )
            if party.active:
                repo.update_party(uow.conn, party.id, party.code, party.version, {"active": False})
            audit.record(
                uow,
                actor,
                "parties.party.archive",
                "party",
                party.code,
                before=snapshot(party),
                after={**snapshot(party), "active": False},
            )
            outcome = "archived"
        else:
            repo.delete_party(uow.conn, party.id)
            audit.record(
                uow, actor, "parties.party.delete", "party", party.code, before=snapshot(party)
            )
            outcome = "deleted"
        publish(uow, DomainEvent(f"parties.party_{outcome}", {"id": party.id, "code": party.code}))
        uow.commit()
    return outcome


@use_case
def add_contact(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    key: str | int,
    *,
    name: str,
    role: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Party:
    """Attach a contact person to a party (an organisation's buyer, accountant...)."""
    actor.require("parties.contact.write")
    if not name.strip():
        raise BadPartyInput("a contact needs a name")
    with uow:
        party = load(uow, keys, key)
        values: dict[str, Any] = {"party_id": party.id, "name": name.strip(), "role": role}
        values.update(sealed(keys, "email", email))
        values.update(sealed(keys, "phone", phone))
        contact_id = repo.insert_contact(uow.conn, values)
        audit.record(
            uow,
            actor,
            "parties.contact.create",
            "contact",
            contact_id,
            after={"party": party.code, "role": role},
        )
        party = load(uow, keys, party.id)
        uow.commit()
    return party
