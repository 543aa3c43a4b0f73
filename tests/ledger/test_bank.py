"""Bank statements: import with a column mapping, exact matches, suggestions, and
balance assertions checked by ``hansa check``, on SQLite and PostgreSQL."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from hansa import ledger
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import Conflict, InvalidInput, RuleViolation
from hansa.ledger.domain import bank as bank_domain
from hansa.ledger.domain.bank import BankStatementLine, suggestions
from hansa.ledger.domain.matching import OpenItem
from tests.ledger.matching_support import (
    CODE,
    D,
    Uows,
    balance,
    books,
    invoice,
    problems,
    residuals,
)

JAN, FEB = date(2026, 1, 15), date(2026, 2, 10)
HOLD = "ledger.balance_assertions_hold"
GERMAN = (
    "Buchungstag;Betrag;Verwendungszweck;Kundenreferenz\n"
    "03.02.2026;1.190,00;Globex GmbH Rechnung 4711;INV-4711\n"
    "05.02.2026;-12,50;Kontoführung;\n"
).encode()
MAPPING = {
    "date": "Buchungstag",
    "amount": "Betrag",
    "description": "Verwendungszweck",
    "reference": "Kundenreferenz",
}


def _import(
    uows: Uows, data: bytes, name: str = "feb.csv", **options: object
) -> ledger.BankStatement:
    return ledger.import_bank_statement(
        uows(),
        SYSTEM,
        CODE,
        "1010",
        data,
        file_name=name,
        **options,  # type: ignore[arg-type]
    )


def _german(uows: Uows) -> ledger.BankStatement:
    return _import(uows, GERMAN, mapping=MAPPING, decimal_comma=True, date_format="%d.%m.%Y")


def test_the_domain_examples_hold() -> None:
    assert doctest.testmod(bank_domain).failed == 0


def test_a_statement_is_imported_with_a_column_mapping_and_decimal_commas(
    uow_factory: Uows,
) -> None:
    books(uow_factory)

    statement = _german(uow_factory)

    assert statement.account == "1010"
    assert [
        (ln.line_no, ln.date, ln.amount, ln.reference, ln.status) for ln in statement.lines
    ] == [
        (1, date(2026, 2, 3), D("1190.00"), "INV-4711", "unmatched"),
        (2, date(2026, 2, 5), D("-12.50"), None, "unmatched"),
    ]
    assert statement.lines[0].description == "Globex GmbH Rechnung 4711"
    assert len(statement.sha256) == 64


def test_the_same_file_is_never_imported_twice(uow_factory: Uows) -> None:
    books(uow_factory)
    first = _german(uow_factory)

    with pytest.raises(Conflict) as caught:
        _import(uow_factory, GERMAN, "again.csv", mapping=MAPPING, decimal_comma=True)

    assert caught.value.code == "ledger.duplicate_statement"
    assert f"already imported as statement {first.id} (feb.csv" in caught.value.message


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row(uow_factory: Uows) -> None:
    books(uow_factory)
    data = b"date,amount,description\n2026-02-01,10.00,ok\n2026-02-30,5,bad day\n2026-02-02,x,bad\n"

    with pytest.raises(RuleViolation) as caught:
        _import(uow_factory, data)

    assert caught.value.code == "ledger.statement_rejected"
    assert "row 3: '2026-02-30' is not a date like %Y-%m-%d" in caught.value.message
    assert "row 4: 'x' is not an amount (decimal point)" in caught.value.message
    assert ledger.list_statement_lines(uow_factory(readonly=True), SYSTEM, CODE, "1010") == []


def test_a_missing_column_names_the_columns_the_file_has(uow_factory: Uows) -> None:
    books(uow_factory)
    with pytest.raises(InvalidInput) as caught:
        _import(uow_factory, GERMAN, decimal_comma=True)
    assert caught.value.code == "ledger.statement_column_missing"
    assert "Buchungstag, Betrag" in caught.value.message


def test_an_exact_match_posts_the_payment_and_reconciles_the_invoice(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "1190.00", reference="INV-4711")
    invoice(uow_factory, JAN, "1190.00", partner="Initech")  # same amount, other reference
    _german(uow_factory)

    result = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010")

    (match,) = result.matched
    assert match.item.line_id == sale
    assert match.entry_id is not None
    entry = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, match.entry_id)
    assert (entry.journal, entry.date, entry.reference) == ("BNK", date(2026, 2, 3), "INV-4711")
    assert sale not in residuals(uow_factory)
    assert balance(uow_factory, "1010") == D("1190.00")
    assert result.unmatched == 1  # the bank charge has no open item to match
    lines = ledger.list_statement_lines(uow_factory(readonly=True), SYSTEM, CODE, "1010")
    assert [ln.status for ln in lines] == ["matched", "unmatched"]
    assert residuals(uow_factory, account="1010") == {}  # the payment's bank line is cleared


def test_a_line_already_booked_on_the_bank_is_cleared_not_paid_again(uow_factory: Uows) -> None:
    books(uow_factory)
    charge = ledger.record_entry(
        uow_factory(),
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
    _german(uow_factory)

    result = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010")

    (match,) = result.matched
    assert match.entry_id is None
    assert match.item.entry_id == charge.id
    assert balance(uow_factory, "1010") == D("-12.50")  # nothing posted twice
    assert residuals(uow_factory, account="1010") == {}


def test_an_ambiguous_amount_is_suggested_and_matched_by_hand(uow_factory: Uows) -> None:
    books(uow_factory)
    near = invoice(uow_factory, JAN, "100.00", partner="Globex", due=date(2026, 2, 1))
    far = invoice(uow_factory, JAN, "100.00", partner="Initech", due=date(2026, 1, 20))
    smaller = invoice(uow_factory, JAN, "40.00", partner="Initech", due=date(2026, 2, 2))
    _import(uow_factory, b"date,amount,description\n2026-02-02,100.00,Initech payment\n")

    result = ledger.match_bank_lines(uow_factory(), SYSTEM, CODE, "1010")

    assert result.matched == ()
    assert [s.item.line_id for s in result.suggestions] == [near, far, smaller]
    (line,) = ledger.list_statement_lines(uow_factory(readonly=True), SYSTEM, CODE, "1010")
    match = ledger.match_bank_line(uow_factory(), SYSTEM, CODE, line.id, far)
    assert match.reconciliation_id is not None
    assert residuals(uow_factory) == {near: D("100.00"), smaller: D("40.00")}
    with pytest.raises(RuleViolation) as caught:
        ledger.match_bank_line(uow_factory(), SYSTEM, CODE, line.id, near)
    assert caught.value.code == "ledger.match_done"


def test_a_bank_line_matched_to_a_larger_invoice_pays_it_partially(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "100.00")
    _import(uow_factory, b"date,amount\n2026-02-02,30.00\n")
    (line,) = ledger.list_statement_lines(uow_factory(readonly=True), SYSTEM, CODE, "1010")

    ledger.match_bank_line(uow_factory(), SYSTEM, CODE, line.id, sale)

    assert residuals(uow_factory) == {sale: D("70.00")}


def test_money_out_cannot_pay_a_customer_invoice(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "100.00")
    _import(uow_factory, b"date,amount\n2026-02-02,-100.00\n")
    (line,) = ledger.list_statement_lines(uow_factory(readonly=True), SYSTEM, CODE, "1010")

    with pytest.raises(RuleViolation) as caught:
        ledger.match_bank_line(uow_factory(), SYSTEM, CODE, line.id, sale)

    assert caught.value.code == "ledger.match_opposite_sides"


def _open(line_id: int, amount: str, due: date, reference: str | None = None) -> OpenItem:
    return OpenItem(
        line_id,
        line_id,
        f"SAL/2026/{line_id:06d}",
        JAN,
        due,
        "1100",
        "Globex",
        "EUR",
        D(amount),
        D(amount),
        None,
        reference,
    )


def test_suggestions_rank_amount_then_date_then_similarity() -> None:
    line = BankStatementLine(1, 1, 1, FEB, D("50.00"), "Globex pays INV-9", "INV-9", "unmatched")
    items = [
        _open(1, "80.00", FEB),  # other amount, same day
        _open(2, "50.00", date(2026, 2, 20)),  # same amount, 10 days off
        _open(3, "50.00", date(2026, 2, 5)),  # same amount, 5 days off
        _open(4, "50.00", date(2026, 2, 15), "INV-9"),  # same amount, 5 days off, named
        _open(5, "-50.00", FEB),  # a credit: never suggested for money in
    ]

    ranked = suggestions(line, items)

    assert [s.item.line_id for s in ranked] == [4, 3, 2, 1]
    assert [s.similarity for s in ranked] == [3, 1, 1, 1]


# --- balance assertions ------------------------------------------------------------------


def _deposit(uows: Uows, day: date, amount: str) -> None:
    ledger.record_entry(
        uows(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "BNK",
            day,
            (
                ledger.LineDraft("1010", "EUR", D(amount)),
                ledger.LineDraft("3000", "EUR", -D(amount)),
            ),
        ),
    )


def test_a_balance_assertion_that_holds_passes_the_check(uow_factory: Uows) -> None:
    books(uow_factory)
    _deposit(uow_factory, JAN, "1000.00")

    found = ledger.assert_balance(uow_factory(), SYSTEM, CODE, "1010", D("1000.00"), JAN)

    assert (found.account, found.commodity, found.amount, found.actual) == (
        "1010",
        "EUR",
        D("1000.00"),
        D("1000.00"),
    )
    assert found.holds
    assert problems(uow_factory, HOLD) == []


def test_a_posting_into_an_asserted_past_fails_the_check(uow_factory: Uows) -> None:
    books(uow_factory)
    _deposit(uow_factory, JAN, "1000.00")
    ledger.assert_balance(uow_factory(), SYSTEM, CODE, "1010", D("1000.00"), JAN)
    ledger.assert_balance(uow_factory(), SYSTEM, CODE, "1", D("1000.00"), JAN)  # with children

    _deposit(uow_factory, date(2026, 1, 10), "25.50")

    assert problems(uow_factory, HOLD) == [
        "company ACME: account 1 was asserted to hold 1000.00 EUR on 2026-01-15; the books "
        "show 1025.50 (off by 25.50)",
        "company ACME: account 1010 was asserted to hold 1000.00 EUR on 2026-01-15; the books "
        "show 1025.50 (off by 25.50)",
    ]


def test_an_assertion_that_does_not_hold_yet_is_recorded_and_reported(uow_factory: Uows) -> None:
    books(uow_factory)

    found = ledger.assert_balance(uow_factory(), SYSTEM, CODE, "1010", D("10.00"), JAN)

    assert not found.holds
    assert found.difference == D("-10.00")
    assert len(problems(uow_factory, HOLD)) == 1
    with pytest.raises(Conflict) as caught:
        ledger.assert_balance(uow_factory(), SYSTEM, CODE, "1010", D("10.00"), JAN)
    assert caught.value.code == "ledger.duplicate_assertion"
