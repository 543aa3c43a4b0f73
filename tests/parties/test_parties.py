"""Parties: codes, roles, encrypted personal data, search, updates, archive and delete."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from hansa import ledger, parties
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import Conflict, HansaError, PermissionDenied
from hansa.parties.domain import crypto, normalise
from hansa.parties.domain import parties as parties_domain
from tests.ledger.fx_support import company
from tests.parties.support import Uows, as_role

KEYS = parties.Keyring.generate()


def add(uows: Uows, **fields: object) -> parties.Party:
    return parties.add_party(uows(), SYSTEM, KEYS, **fields)  # type: ignore[arg-type]


def test_the_domain_examples_hold() -> None:
    for module in (crypto, normalise, parties_domain):
        assert doctest.testmod(module).failed == 0


def test_customers_and_vendors_get_stable_codes_in_their_own_series(uow_factory: Uows) -> None:
    first = add(uow_factory, name="Acme GmbH")
    second = add(uow_factory, first_name="Ada", last_name="Lovelace")
    vendor = add(uow_factory, name="Steel Supply", customer=False, vendor=True)
    both = add(uow_factory, name="Trading Partner", vendor=True)

    assert [first.code, second.code, both.code] == ["C00001", "C00002", "C00003"]
    assert vendor.code == "V00001"
    assert second.kind is parties.PartyKind.person
    assert second.name == "Ada Lovelace"
    assert both.roles == ("customer", "vendor")


def test_personal_data_is_encrypted_at_rest_and_decrypted_on_read(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    party = add(
        uow_factory,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        phone="+44 20 7946 0000",
        billing_address="12 St James's Square, London",
        tax_id="GB123456789",
    )
    with engine.connect() as conn:
        stored = " ".join(
            str(v) for v in conn.execute(sa.text("SELECT * FROM parties_parties")).one()
        )

    for secret in ("ada@example.com", "7946", "St James", "GB123456789"):
        assert secret not in stored
    assert "k1:" in stored
    read = parties.get_party(uow_factory(), SYSTEM, KEYS, party.code)
    assert (read.email, read.phone, read.billing_address, read.tax_id) == (
        "ada@example.com",
        "+44 20 7946 0000",
        "12 St James's Square, London",
        "GB123456789",
    )


def test_name_search_ignores_case_and_accents_and_matches_word_prefixes(
    uow_factory: Uows,
) -> None:
    add(uow_factory, first_name="Hans", last_name="Müller")
    add(uow_factory, name="Zoë's Café")
    add(uow_factory, name="Mullerton Ltd")
    add(uow_factory, name="Acme")

    def names(query: str) -> list[str]:
        return [p.name for p in parties.search_parties(uow_factory(), SYSTEM, KEYS, query)]

    assert names("MULLER") == ["Hans Müller", "Mullerton Ltd"]
    assert names("hans mül") == ["Hans Müller"]
    assert names("zoe cafe") == ["Zoë's Café"]
    assert names("nobody") == []


def test_email_phone_and_tax_id_search_exactly_through_the_keyed_hash(uow_factory: Uows) -> None:
    add(uow_factory, name="Acme", email="Sales@Acme.example", phone="+49 30 1234 5678")
    add(uow_factory, name="Other", email="sales@other.example", tax_id="DE 811 907 980")

    def codes(query: str) -> list[str]:
        return [p.code for p in parties.search_parties(uow_factory(), SYSTEM, KEYS, query)]

    assert codes("sales@acme.example") == ["C00001"]
    assert codes("+49 (30) 12345678") == ["C00001"]
    assert codes("de811907980") == ["C00002"]
    assert codes("sales@") == []


def test_list_pages_and_sorts(uow_factory: Uows) -> None:
    for name in ("Delta", "alpha", "Charlie", "Bravo"):
        add(uow_factory, name=name)

    page = parties.list_parties(uow_factory(), SYSTEM, KEYS, page=2, limit=2)
    desc = parties.list_parties(uow_factory(), SYSTEM, KEYS, order="desc", limit=1)

    assert [p.name for p in page.parties] == ["Charlie", "Delta"]
    assert page.total == 4
    assert [p.name for p in desc.parties] == ["Delta"]


def test_update_changes_fields_and_audits_without_personal_data(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    party = add(uow_factory, first_name="Ada", last_name="Lovelace", email="ada@example.com")

    updated = parties.update_party(
        uow_factory(),
        SYSTEM,
        KEYS,
        party.code,
        {"email": "countess@example.com", "credit_limit": "5000", "tags": ["VIP", "London"]},
    )

    assert updated.email == "countess@example.com"
    assert updated.credit_limit == Decimal("5000")
    assert updated.tags == ("london", "vip")
    assert updated.version == party.version + 1
    with engine.connect() as conn:
        log = " ".join(str(r) for r in conn.execute(sa.text("SELECT * FROM audit_log")))
    assert "parties.party.update" in log
    for secret in ("ada@example.com", "countess@example.com", "Lovelace"):
        assert secret not in log


def test_a_stale_version_is_a_conflict(uow_factory: Uows) -> None:
    party = add(uow_factory, name="Acme")
    parties.update_party(uow_factory(), SYSTEM, KEYS, party.id, {"name": "Acme AG"})

    with pytest.raises(Conflict):
        parties.update_party(
            uow_factory(), SYSTEM, KEYS, party.id, {"name": "Acme SE"}, expected_version=1
        )


def test_a_party_without_history_is_deleted_one_with_history_only_archived(
    uow_factory: Uows,
) -> None:
    fresh = add(uow_factory, name="Fresh")
    used = add(uow_factory, name="Used")
    company(uow_factory)
    draft = ledger.EntryDraft(
        "GEN",
        date(2026, 3, 1),
        (
            ledger.LineDraft("1100", "EUR", Decimal("100"), partner=used.code),
            ledger.LineDraft("4000", "EUR", Decimal("-100")),
        ),
        "Invoice",
    )
    ledger.record_entry(uow_factory(), SYSTEM, None, draft)

    assert parties.delete_party(uow_factory(), SYSTEM, KEYS, fresh.code) == "deleted"
    with pytest.raises(HansaError) as refused:
        parties.delete_party(uow_factory(), SYSTEM, KEYS, used.code)
    assert refused.value.code == "parties.has_history"
    assert parties.delete_party(uow_factory(), SYSTEM, KEYS, used.code, archive_if_used=True) == (
        "archived"
    )
    assert not parties.get_party(uow_factory(), SYSTEM, KEYS, used.code).active
    assert parties.list_parties(uow_factory(), SYSTEM, KEYS).total == 0


def test_sales_writes_customers_not_vendors_and_viewer_only_reads(uow_factory: Uows) -> None:
    sales, viewer = as_role("sales"), as_role("viewer")
    customer = parties.add_party(uow_factory(), sales, KEYS, name="Acme")

    with pytest.raises(PermissionDenied):
        parties.add_party(uow_factory(), sales, KEYS, name="Steel", customer=False, vendor=True)
    with pytest.raises(PermissionDenied):
        parties.update_party(uow_factory(), viewer, KEYS, customer.code, {"name": "X"})
    assert parties.get_party(uow_factory(), viewer, KEYS, customer.code).name == "Acme"


def test_contacts_belong_to_an_organisation(uow_factory: Uows) -> None:
    party = add(uow_factory, name="Acme")

    with_contact = parties.add_contact(
        uow_factory(),
        SYSTEM,
        KEYS,
        party.code,
        name="Grace Hopper",
        role="buyer",
        email="grace@acme.example",
    )

    assert [(c.name, c.role, c.email) for c in with_contact.contacts] == [
        ("Grace Hopper", "buyer", "grace@acme.example")
    ]


def test_search_finds_active_parties_of_the_asked_role_once(uow_factory: Uows) -> None:
    add(uow_factory, name="Anna Annabel Trading")
    vendor = add(uow_factory, name="Anna Supplies", customer=False, vendor=True)
    archived = add(uow_factory, name="Anna Old")
    parties.archive_party(uow_factory(), SYSTEM, KEYS, archived.code)

    def names(query: str, role: str | None = None) -> list[str]:
        found = parties.search_parties(uow_factory(), SYSTEM, KEYS, query, role=role)
        return [p.name for p in found]

    assert names("ann") == ["Anna Annabel Trading", "Anna Supplies"]
    assert names("ann", "customer") == ["Anna Annabel Trading"]
    parties.archive_party(uow_factory(), SYSTEM, KEYS, archived.code, archived=False)
    parties.update_party(uow_factory(), SYSTEM, KEYS, vendor.code, {"customer": True})
    assert names("anna", "customer") == ["Anna Annabel Trading", "Anna Old", "Anna Supplies"]


def test_renaming_a_person_keeps_a_person_and_a_code_finds_its_party(uow_factory: Uows) -> None:
    person = add(uow_factory, first_name="Ada", last_name="Lovelace")
    vendor = add(uow_factory, name="Steel", customer=False, vendor=True)

    renamed = parties.update_party(
        uow_factory(), SYSTEM, KEYS, person.code, {"name": "Ada King Lovelace"}
    )

    assert renamed.kind is parties.PartyKind.person
    assert (renamed.first_name, renamed.last_name) == ("Ada King", "Lovelace")
    assert [p.code for p in parties.search_parties(uow_factory(), SYSTEM, KEYS, "king")] == [
        person.code
    ]
    assert parties.search_parties(uow_factory(), SYSTEM, KEYS, "c00001")[0].code == "C00001"
    found = parties.search_parties(uow_factory(), SYSTEM, KEYS, vendor.code, role="customer")
    assert found == []
    with pytest.raises(HansaError) as refused:
        parties.update_party(uow_factory(), SYSTEM, KEYS, vendor.code, {"first_name": "X"})
    assert refused.value.code == "parties.bad_input"
