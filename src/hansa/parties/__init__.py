"""Parties and CRM: customers, vendors, contacts, encrypted personal data, GDPR export
and erasure, leads, opportunities, activities. The CLI and the API use only these names."""

from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import search_key
from hansa.parties.domain.parties import Contact, Party, PartyKind
from hansa.parties.service.parties import (
    PartyPage,
    add_contact,
    add_party,
    archive_party,
    delete_party,
    get_party,
    list_parties,
    search_parties,
    update_party,
)

__all__ = [
    "Contact",
    "Keyring",
    "Party",
    "PartyKind",
    "PartyPage",
    "add_contact",
    "add_party",
    "archive_party",
    "delete_party",
    "get_party",
    "list_parties",
    "search_key",
    "search_parties",
    "update_party",
]
