"""Party rows <-> Party values: personal fields encrypted and hashed on the way in,
decrypted on the way out. The one place that knows which column holds what."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.kernel.money import currency_places, quantize
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import (
    normalise_email,
    normalise_phone,
    normalise_tax_id,
    search_key,
)
from hansa.parties.domain.parties import PERSONAL_FIELDS, Contact, Party, PartyKind

# Searchable personal fields: the normal form their keyed hash is taken of.
HASHED: Mapping[str, Callable[[str], str]] = {
    "email": normalise_email,
    "phone": normalise_phone,
    "tax_id": normalise_tax_id,
}


def sealed(keys: Keyring, field: str, value: str | None) -> dict[str, str | None]:
    """The stored columns of one personal field: ``<field>_enc`` and, for searchable
    fields, ``<field>_hash``."""
    text = value.strip() if value else None
    columns: dict[str, str | None] = {f"{field}_enc": keys.encrypt(text) if text else None}
    if field in HASHED:
        columns[f"{field}_hash"] = keys.blind_index(field, HASHED[field](text)) if text else None
    return columns


def opened(keys: Keyring, stored: str | None) -> str | None:
    return keys.decrypt(stored) if stored else None


def name_words(name: str) -> set[str]:
    return {w[:100] for w in search_key(name).split() if w}


def party_of(
    keys: Keyring,
    row: sa.Row[Any],
    tags: tuple[str, ...] = (),
    contacts: tuple[Contact, ...] = (),
) -> Party:
    return Party(
        id=row.id,
        code=row.code,
        kind=PartyKind(row.kind),
        name=row.name,
        is_customer=row.is_customer,
        is_vendor=row.is_vendor,
        first_name=row.first_name,
        last_name=row.last_name,
        organisation=row.organisation,
        email=opened(keys, row.email_enc),
        phone=opened(keys, row.phone_enc),
        billing_address=opened(keys, row.billing_address_enc),
        shipping_address=opened(keys, row.shipping_address_enc),
        tax_id=opened(keys, row.tax_id_enc),
        notes=opened(keys, row.notes_enc),
        payment_terms_days=row.payment_terms_days,
        credit_limit=_amount(row.credit_limit, row.currency),
        currency=row.currency,
        tags=tags,
        active=row.active,
        erased=row.erased,
        created_at=row.created_at,
        version=row.version,
        contacts=contacts,
    )


def _amount(value: Decimal | None, currency: str | None) -> Decimal | None:
    """An amount shown to its currency's minor unit (2 places without a currency)."""
    if value is None:
        return None
    return quantize(value, currency_places(currency) if currency else 2)


def contact_of(keys: Keyring, row: sa.Row[Any]) -> Contact:
    return Contact(
        row.id,
        row.party_id,
        row.name,
        row.role,
        opened(keys, row.email_enc),
        opened(keys, row.phone_enc),
    )


def snapshot(party: Party) -> dict[str, object]:
    """What the audit log keeps of a party: no personal datum, only whether each
    personal field is filled. Names are left out too: a person's name is personal,
    and an organisation may be a sole trader named after one."""
    shown: dict[str, object] = {
        "code": party.code,
        "kind": party.kind.value,
        "roles": list(party.roles),
        "payment_terms_days": party.payment_terms_days,
        "credit_limit": party.credit_limit,
        "currency": party.currency,
        "tags": list(party.tags),
        "active": party.active,
    }
    shown["personal"] = {f: getattr(party, f) is not None for f in PERSONAL_FIELDS}
    return shown
