"""Parties: a person or an organisation that is a customer, a vendor or both.

Personal data (e-mail, phone, addresses, tax id, notes) is held decrypted here; the
repository stores it encrypted. The name stays searchable in clear; ``gdpr erase``
replaces it with a pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from hansa.parties.domain.normalise import search_key
from hansa.parties.errors import BadPartyInput

# Fields whose values are personal data: encrypted at rest, never written to the audit
# log or to events (only *that* they changed).
PERSONAL_FIELDS = (
    "email",
    "phone",
    "billing_address",
    "shipping_address",
    "tax_id",
    "notes",
)
CODE_DIGITS = 5


class PartyKind(StrEnum):
    person = "person"
    organisation = "organisation"


@dataclass(frozen=True)
class Contact:
    id: int
    party_id: int
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Party:
    id: int
    code: str
    kind: PartyKind
    name: str
    is_customer: bool = True
    is_vendor: bool = False
    first_name: str | None = None
    last_name: str | None = None
    organisation: str | None = None  # the company a person works for
    email: str | None = None
    phone: str | None = None
    billing_address: str | None = None
    shipping_address: str | None = None
    tax_id: str | None = None
    notes: str | None = None
    payment_terms_days: int = 0
    credit_limit: Decimal | None = None
    currency: str | None = None
    tags: tuple[str, ...] = ()
    active: bool = True
    erased: bool = False
    created_at: datetime | None = None
    version: int = 1
    contacts: tuple[Contact, ...] = field(default=())

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(
            r for r, on in (("customer", self.is_customer), ("vendor", self.is_vendor)) if on
        )


def display_name(
    name: str | None, first_name: str | None, last_name: str | None
) -> tuple[PartyKind, str]:
    """The kind and the display name of a new party: an organisation is named, a person
    has a first and/or last name (``customers add NAME`` or ``--first-name/--last-name``)."""
    person = " ".join(p.strip() for p in (first_name, last_name) if p and p.strip())
    if name and name.strip():
        if person:
            raise BadPartyInput("give either a name or a first/last name, not both")
        return PartyKind.organisation, name.strip()
    if person:
        return PartyKind.person, person
    raise BadPartyInput("a party needs a name (or a first and last name)")


def party_code(prefix: str, number: int) -> str:
    """The code of the *number*-th party of a series.

    >>> party_code("C", 42)
    'C00042'
    """
    return f"{prefix}{number:0{CODE_DIGITS}d}"


def check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags are lower-case words, sorted, without duplicates."""
    cleaned = {search_key(t).replace(" ", "-") for t in tags if t.strip()}
    return tuple(sorted(cleaned))


def check_terms(days: int) -> int:
    if not 0 <= days <= 3650:
        raise BadPartyInput(f"payment terms must be 0 to 3650 days, not {days}")
    return days


def check_credit_limit(limit: Decimal | None) -> Decimal | None:
    if limit is not None and limit < 0:
        raise BadPartyInput(f"a credit limit cannot be negative ({limit})")
    return limit


def pseudonym(code: str) -> str:
    """What an erased party is called from then on."""
    return f"Erased party {code}"
