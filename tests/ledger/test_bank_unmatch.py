"""Un-matching a bank statement line: what matching did is undone (a payment it
posted is reversed, a line it cleared is open again), audited, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from hansa import audit, ledger
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import RuleViolation
from tests.ledger.fx_support import failing_checks
from tests.ledger.matching_support import CODE, D, Uows, balance, books, invoice, residuals

JAN = date(2026, 1, 15)
STATEMENT = (
    b"date,amount,description,reference\n"
    b"2026-02-03,1190.00,Globex invoice 4711,INV-4711\n"
    b"2026-02-05,-12.50,Bank charges,\n"
)


def _statement(uows: Uows) -> ledger.BankStatement:
    return ledger.import_bank_statement(
        uows(), SYSTEM, CODE, "1010", STATEMENT, file_name="feb.csv"
    )


def _charge(uows: Uows) -> ledger.Entry:
    return ledger.record_entry(
        uows(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "BNK",
            date(2026, 2, 5),
            (
                ledger.LineDraft("6400", "EUR", D("12.50")),
                ledger.LineDraft("1010", "EUR", D("-12.50")),
            ),
            "Bank charges",
        ),
    )


def _lines(uows: Uows) -> list[ledger.BankStatementLine]:
    return ledger.list_statement_lines(uows(readonly=True), SYSTEM, CODE, "1010")


def test_unmatching_a_paid_line_reverses_the_payment_and_opens_the_invoice(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "1190.00", reference="INV-4711")
    _statement(uow_factory)
    (match,) = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010").matched
    paid = match.statement_line

    before = ledger.unmatch_bank_line(uow_factory(), SYSTEM, CODE, paid.id)

    assert (before.entry_id, before.reconciliation_id) == (
        match.entry_id,
        match.reconciliation_id,
    )
    payment = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, match.entry_id or 0)
    assert payment.reversed_by is not None
    reversal = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, payment.reversed_by)
    assert reversal.date == date(2026, 2, 3)  # the statement line's date
    assert [ln.status for ln in _lines(uow_factory)] == ["unmatched", "unmatched"]
    assert residuals(uow_factory) == {sale: D("1190.00")}  # the invoice alone is open
    assert residuals(uow_factory, account="1010") == {}  # payment and reversal cancel
    assert balance(uow_factory, "1010") == 0
    (record,) = audit.list_records(uow_factory(), SYSTEM, action="ledger.bank.unmatch")
    assert record.entity_id == str(paid.id)
    assert failing_checks(uow_factory) == []

    # matched again, it pays the invoice again: the same line, a new payment
    (again,) = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010").matched
    assert (again.statement_line.id, again.item.line_id) == (paid.id, sale)
    assert again.entry_id not in (None, match.entry_id)
    assert residuals(uow_factory) == {}
    assert balance(uow_factory, "1010") == D("1190.00")
    assert failing_checks(uow_factory) == []


def test_unmatching_a_cleared_line_only_unclears_it(uow_factory: Uows) -> None:
    books(uow_factory)
    charge = _charge(uow_factory)
    _statement(uow_factory)
    (match,) = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010").matched
    assert match.entry_id is None

    ledger.unmatch_bank_line(uow_factory(), SYSTEM, CODE, match.statement_line.id)

    entry = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, charge.id)
    assert entry.reversed_by is None  # nothing was posted, nothing is reversed
    assert residuals(uow_factory, account="1010") == {match.item.line_id: D("-12.50")}
    assert balance(uow_factory, "1010") == D("-12.50")
    assert [ln.status for ln in _lines(uow_factory)] == ["unmatched", "unmatched"]


def test_a_line_that_is_not_matched_cannot_be_unmatched(uow_factory: Uows) -> None:
    books(uow_factory)
    statement = _statement(uow_factory)

    with pytest.raises(RuleViolation) as caught:
        ledger.unmatch_bank_line(uow_factory(), SYSTEM, CODE, statement.lines[1].id)

    assert caught.value.code == "ledger.bank_line_not_matched"
    assert caught.value.message == f"statement line {statement.lines[1].id} is not matched"


def test_a_usd_statement_line_realises_the_exchange_gain_and_unmatching_undoes_it(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    ledger.add_account(
        uow_factory(), SYSTEM, CODE, code="1020", name="Bank USD", type="asset", currency="USD"
    )
    ledger.set_rate(uow_factory(), SYSTEM, CODE, "USD", JAN, D("0.90"))
    ledger.set_rate(uow_factory(), SYSTEM, CODE, "USD", date(2026, 2, 3), D("0.95"))
    sale = ledger.record_entry(
        uow_factory(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "SAL",
            JAN,
            (
                ledger.LineDraft("1100", "USD", D("1000.00"), partner="Globex"),
                ledger.LineDraft("4000", "EUR", D("-900.00")),
            ),
            "Invoice in dollars",
            "Globex",
            "INV-9",
        ),
    )
    statement = ledger.import_bank_statement(
        uow_factory(),
        SYSTEM,
        CODE,
        "1020",
        b"date,amount,reference\n2026-02-03,1000.00,INV-9\n",
        file_name="usd.csv",
    )

    (match,) = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1020").matched

    assert match.item.line_id == sale.lines[0].id
    assert balance(uow_factory, "7900") == D("-50.00")  # 1,000 USD: 900.00 -> 950.00 EUR
    assert failing_checks(uow_factory) == []

    ledger.unmatch_bank_line(uow_factory(), SYSTEM, CODE, statement.lines[0].id)

    assert balance(uow_factory, "7900") == 0
    assert balance(uow_factory, "1020") == 0
    assert residuals(uow_factory) == {sale.lines[0].id: D("1000.00")}
    assert failing_checks(uow_factory) == []
