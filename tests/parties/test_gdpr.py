"""GDPR export and erasure, and field-key rotation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from hansa import ledger, parties
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import PermissionDenied
from hansa.schema import metadata
from hansa.system import run_checks
from tests.ledger.fx_support import company, failing_checks
from tests.parties.support import Uows, as_role

KEYS = parties.Keyring.generate()
ADA = {
    "first_name": "Augusta",
    "last_name": "Kingsworth",
    "email": "augusta.k@example.org",
    "phone": "+44 20 7946 0123",
    "billing_address": "12 Quillfeather Lane, Lowestoft",
    "shipping_address": "3 Cobblestone Row, Lowestoft",
    "tax_id": "GB987654321",
    "notes": "Prefers calls after 5pm",
}
SECRETS = [
    "Augusta",
    "Kingsworth",
    "augusta.k@example.org",
    "7946 0123",
    "Quillfeather",
    "Cobblestone",
    "GB987654321",
    "after 5pm",
    "Ada Contact",
    "ada.contact@example.org",
    "Lunch with Augusta",
]


def _customer_with_history(uows: Uows) -> parties.Party:
    lead = parties.add_lead(
        uows(),
        SYSTEM,
        KEYS,
        name="Augusta Kingsworth",
        email="augusta.k@example.org",
        source="web",
    )
    _, opp = parties.convert_lead(uows(), SYSTEM, KEYS, lead.id, expected_revenue="1000")
    party = parties.get_party(uows(), SYSTEM, KEYS, opp.party_code or "")
    party = parties.update_party(uows(), SYSTEM, KEYS, party.code, dict(ADA))
    parties.add_contact(
        uows(), SYSTEM, KEYS, party.code, name="Ada Contact", email="ada.contact@example.org"
    )
    parties.add_activity(
        uows(), SYSTEM, KEYS, kind="meeting", subject="Lunch with Augusta", party=party.code
    )
    company(uows)
    ledger.record_entry(
        uows(),
        SYSTEM,
        None,
        ledger.EntryDraft(
            "GEN",
            date(2026, 3, 1),
            (
                ledger.LineDraft("1100", "EUR", Decimal("119"), partner=party.code),
                ledger.LineDraft("4000", "EUR", Decimal("-119")),
            ),
            "Invoice 1",
        ),
    )
    return party


def _every_text_value(engine: sa.Engine) -> list[str]:
    """Every value of every text or binary column of every table, as stored, prefixed
    with where it is (``table.column: value``)."""
    found: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            texts = [
                c
                for c in table.columns
                if isinstance(c.type, (sa.String, sa.Text, sa.LargeBinary, sa.JSON))
            ]
            for row in conn.execute(sa.select(*texts)) if texts else ():
                found.extend(
                    f"{table.name}.{c.name}: {v}" for c, v in zip(texts, row, strict=True) if v
                )
    return found


def test_export_holds_every_personal_datum_decrypted(uow_factory: Uows) -> None:
    party = _customer_with_history(uow_factory)

    data = parties.export_personal_data(uow_factory(), SYSTEM, KEYS, party.code)

    assert data["party"]["email"] == "augusta.k@example.org"
    assert data["party"]["tax_id"] == "GB987654321"
    assert data["contacts"] == [
        {"name": "Ada Contact", "role": None, "email": "ada.contact@example.org", "phone": None}
    ]
    assert data["leads"][0]["status"] == "converted"
    assert [o["expected_revenue"] for o in data["opportunities"]] == ["1000.00"]
    assert [a["subject"] for a in data["activities"]] == ["Lunch with Augusta"]


def test_after_erasure_no_personal_datum_remains_in_any_table(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    party = _customer_with_history(uow_factory)
    stored_before = " ".join(_every_text_value(engine))
    assert "Kingsworth" in stored_before  # the name is stored in clear before erasure

    erased = parties.erase_party(uow_factory(), SYSTEM, KEYS, party.code)

    stored = _every_text_value(engine)
    leaks = [value for s in SECRETS for value in stored if s.casefold() in value.casefold()]
    assert leaks == []
    assert erased.name == f"Erased party {party.code}"
    assert erased.email is None
    assert failing_checks(uow_factory) == []
    aging = ledger.aging(uow_factory(), SYSTEM, None, as_of=date(2026, 3, 31))
    assert [(r.partner, r.total) for r in aging.rows] == [(party.code, Decimal("119.00"))]
    with engine.connect() as conn:
        actions = list(conn.execute(sa.text("SELECT action FROM audit_log")).scalars())
    assert "parties.gdpr.erase" in actions


def test_only_those_allowed_export_or_erase(uow_factory: Uows) -> None:
    party = parties.add_party(uow_factory(), SYSTEM, KEYS, name="Acme")
    for role in ("sales", "viewer"):
        with pytest.raises(PermissionDenied):
            parties.erase_party(uow_factory(), as_role(role), KEYS, party.code)


def test_rotation_re_encrypts_every_value_and_search_still_works(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    _customer_with_history(uow_factory)
    rotated = KEYS.rotated()

    count = parties.reencrypt_fields(uow_factory(), SYSTEM, rotated)

    stored = [v.split(": ", 1)[1] for v in _every_text_value(engine) if "_enc: " in v]
    assert count > 0
    assert stored
    assert all(v.startswith("k2:") for v in stored)
    party = parties.search_parties(uow_factory(), SYSTEM, rotated, "augusta.k@example.org")[0]
    assert party.phone == "+44 20 7946 0123"
    assert parties.reencrypt_fields(uow_factory(), SYSTEM, rotated) == 0
    with pytest.raises(parties.KeyringProblem):
        parties.get_party(
            uow_factory(), SYSTEM, parties.Keyring({"k1": KEYS.keys["k1"]}, "k1"), party.code
        )


def test_the_parties_checks_pass_and_catch_plaintext_and_a_stale_index(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    _customer_with_history(uow_factory)
    assert _failing_parties_checks(uow_factory) == []

    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE parties_parties SET email_enc = 'plain@example.org'"))
        conn.execute(sa.text("DELETE FROM parties_name_words"))

    assert _failing_parties_checks(uow_factory) == [
        "parties.name_index_current",
        "parties.personal_data_sealed",
    ]


def _failing_parties_checks(uows: Uows) -> list[str]:
    return sorted(
        o.name
        for o in run_checks(uows(readonly=True), SYSTEM)
        if o.name.startswith("parties.") and (o.problems or o.error)
    )


def test_a_lead_that_never_bought_can_be_erased_alone(uow_factory: Uows, engine: sa.Engine) -> None:
    lead = parties.add_lead(
        uow_factory(), SYSTEM, KEYS, name="Augusta Kingsworth", email="augusta.k@example.org"
    )
    parties.add_activity(
        uow_factory(), SYSTEM, KEYS, kind="email", subject="Lunch with Augusta", lead=lead.id
    )

    erased = parties.erase_lead(uow_factory(), SYSTEM, KEYS, lead.id)

    assert erased.name == f"Erased lead {lead.id}"
    stored = _every_text_value(engine)
    assert [v for s in SECRETS for v in stored if s.casefold() in v.casefold()] == []
