"""Posting keeps what it loads of a company's books between transactions: a change
to the accounts, periods, journals or commodities — by this process or any other —
must be seen by the next posting, and a posted entry must read back as returned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import NotFound, RuleViolation
from hansa.ledger import EntryDraft, LineDraft

Uow = Callable[..., UnitOfWork]
D = Decimal
JAN = date(2026, 1, 15)


@pytest.fixture
def books(uow_factory: Uow) -> ledger.Company:
    return ledger.create_company(
        uow_factory(), SYSTEM, name="Acme Trading", currency="EUR", chart="standard", year_of=JAN
    )


def cash_sale(account: str = "4000", day: date = JAN) -> EntryDraft:
    return EntryDraft(
        "GEN", day, (LineDraft("1000", "EUR", D("10.00")), LineDraft(account, "EUR", D("-10")))
    )


def test_the_returned_entry_is_what_reading_it_back_gives(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", JAN, D("0.9"))
    draft = EntryDraft(
        "SAL",
        JAN,
        (
            LineDraft("1100", "USD", D("119.00"), partner="Globex", due_date=date(2026, 2, 14)),
            LineDraft("4000", "EUR", D("-90.00"), description="goods", cost_center="north"),
            LineDraft("2100", "EUR", D("-17.10"), tax_code="VAT19", tax_base=D("-90")),
        ),
        "Invoice 7",
        partner="Globex",
        reference="INV-7",
    )
    posted = ledger.record_entry(uow_factory(), SYSTEM, None, draft)
    assert posted == ledger.get_entry(uow_factory(), SYSTEM, None, posted.id)
    kept = ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale(), post=False)
    assert kept == ledger.get_entry(uow_factory(), SYSTEM, None, kept.id)


def test_an_account_added_after_posting_can_be_posted_to_at_once(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale())
    with pytest.raises(NotFound):
        ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale("4999"))
    ledger.add_account(uow_factory(), SYSTEM, None, code="4999", name="Other sales", type="income")
    entry = ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale("4999"))
    assert [line.account_code for line in entry.lines] == ["1000", "4999"]


def test_a_period_closed_by_hand_in_another_connection_refuses_the_next_posting(
    uow_factory: Uow, books: ledger.Company, engine: sa.Engine
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale())
    with engine.begin() as conn:  # as another process would, without the services
        conn.execute(sa.text("UPDATE ledger_periods SET state = 'closed' WHERE name = '2026-01'"))
    with pytest.raises(RuleViolation, match="2026-01"):
        ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale())


def test_an_archived_account_is_refused_on_the_next_posting(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale("4100"))
    ledger.archive_account(uow_factory(), SYSTEM, None, "4100")
    with pytest.raises(RuleViolation, match="archived"):
        ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale("4100"))


def test_a_change_that_rolled_back_leaves_nothing_behind(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale())
    with uow_factory() as uow:
        uow.conn.execute(
            sa.text("UPDATE ledger_periods SET state = 'closed' WHERE name = '2026-01'")
        )
        # A posting inside the same transaction sees (and keeps) the closed period ...
        with pytest.raises(RuleViolation):
            ledger.post_within(uow, SYSTEM, None, cash_sale())
    # ... but leaving without commit rolls the stamp back too: the next posting reloads.
    ledger.record_entry(uow_factory(), SYSTEM, None, cash_sale())


def test_a_missing_books_stamp_trigger_is_reported_by_the_checks(
    uow_factory: Uow, books: ledger.Company, backend: str
) -> None:
    from hansa import system

    sqlite = backend == "sqlite"
    name = "ledger_periods_books_update" if sqlite else "ledger_periods_books"
    with uow_factory() as uow:
        uow.conn.execute(
            sa.text(
                f"DROP TRIGGER {name}"
                if sqlite
                else f"ALTER TABLE ledger_periods DISABLE TRIGGER {name}"
            )
        )
        uow.commit()
    try:
        (outcome,) = system.run_checks(
            uow_factory(readonly=True), SYSTEM, ["schema.immutability_triggers"]
        )
        assert [p.message for p in outcome.problems] == [
            f"trigger {name} on ledger_periods is {'missing' if sqlite else 'disabled'}"
        ]
    finally:
        with uow_factory() as uow:
            uow.conn.execute(
                sa.text(
                    f"CREATE TRIGGER {name} AFTER UPDATE ON ledger_periods BEGIN UPDATE "
                    "ledger_companies SET books_stamp = random() "
                    "WHERE id IN (OLD.company_id, NEW.company_id); END"
                    if sqlite
                    else f"ALTER TABLE ledger_periods ENABLE TRIGGER {name}"
                )
            )
            uow.commit()
    (outcome,) = system.run_checks(
        uow_factory(readonly=True), SYSTEM, ["schema.immutability_triggers"]
    )
    assert outcome.ok
