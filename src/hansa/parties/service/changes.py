"""Parties: update, tag, archive, delete (refused with history), contacts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hansa import audit, ledger
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import to_decimal
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
)
from hansa.parties.errors import BadPartyInput, PartyHasHistory
from hansa.parties.repository import crm as crm_repo
from hansa.parties.repository import parties as repo
from hansa.parties.service import access
from hansa.parties.service.codec import (
    sealed,
    snapshot,
)
from hansa.parties.service.parties import check_currency, load


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
        if {"name", "is_customer", "is_vendor"} & set(values):
            repo.reindex(uow.conn, [before.id])
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
        *PERSONAL_FIELDS,
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
    for field in PERSONAL_FIELDS:
        if field in changes and (changes[field] or None) != getattr(party, field):
            values.update(sealed(keys, field, changes[field] or None))
    if {"name", "first_name", "last_name"} & set(changes):
        values.update(_renamed(party, changes))
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
        values["currency"] = check_currency(changes["currency"])
    for role in ("customer", "vendor"):
        if role in changes and bool(changes[role]) != (role in party.roles):
            actor.require(f"parties.{role}.write")
            values[f"is_{role}"] = bool(changes[role])
    if not values.get("is_customer", party.is_customer) and not values.get(
        "is_vendor", party.is_vendor
    ):
        raise BadPartyInput("a party is a customer, a vendor or both")
    return values


def _renamed(party: Party, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The name columns after a rename. A person stays a person: a new ``name`` is split
    into first name(s) and last name at its last space."""
    if party.kind is PartyKind.organisation:
        if changes.get("first_name") or changes.get("last_name"):
            raise BadPartyInput(f"{party.code} is an organisation: give it a name")
        _, display = display_name(changes.get("name") or party.name, None, None)
        first, last = None, None
    else:
        first, last = (
            changes.get("first_name", party.first_name),
            changes.get("last_name", party.last_name),
        )
        if changes.get("name"):
            head, _, tail = changes["name"].strip().rpartition(" ")
            first, last = head or None, tail
        _, display = display_name(None, first, last)
    return {
        "name": display,
        "search_name": search_key(display)[:200],
        "first_name": first.strip() if first else None,
        "last_name": last.strip() if last else None,
    }


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
        repo.reindex(uow.conn, [party.id])
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
                repo.reindex(uow.conn, [party.id])
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
