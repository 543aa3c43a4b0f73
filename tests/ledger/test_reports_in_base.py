"""Balance sheet and income statement in the company currency (``in_base``): one
balance per account, the sum of its company-currency weights; hand-computed, on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date

from hansa import ledger
from hansa.kernel.actor import SYSTEM
from tests.ledger.fx_support import D, Uows, company, post

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)


def _books(uows: Uows) -> None:
    """A EUR company with a USD sale paid at another rate, shares bought at a cost in
    EUR and hours weighing only in hours."""
    company(uows)
    ledger.add_account(uows(), SYSTEM, "ACME", code="1400", name="Securities", type="asset")
    ledger.declare_commodity(uows(), SYSTEM, "AAPL", 0)
    ledger.declare_commodity(uows(), SYSTEM, "HRS", 2)
    post(uows, date(2026, 1, 2), ("1010", "10000.00", "EUR"), ("3000", "-10000.00", "EUR"))
    sale = post(
        uows,
        date(2026, 1, 15),
        ("1100", "1000", "USD", "900.00", "EUR"),
        ("4000", "-900.00", "EUR"),
    )
    paid = post(
        uows,
        date(2026, 2, 10),
        ("1010", "1000", "USD", "950.00", "EUR"),
        ("1100", "-1000", "USD", "-950.00", "EUR"),
    )
    ledger.reconcile(
        uows(), SYSTEM, "ACME", [sale.lines[0].id, paid.lines[1].id]
    )  # realises 50.00 EUR on 7900
    post(
        uows,
        date(2026, 3, 1),
        ("1400", "10", "AAPL", "1380.00", "EUR"),
        ("1010", "-1380.00", "EUR"),
    )
    post(uows, date(2026, 3, 2), ("1300", "8", "HRS"), ("2200", "-8", "HRS"))


def _balances(statement: ledger.Statement) -> dict[str, tuple[str, D]]:
    return {r.account: (r.commodity, r.balance) for r in statement.rows}


def test_the_balance_sheet_in_base_shows_booked_values_and_balances(uow_factory: Uows) -> None:
    _books(uow_factory)

    sheet = ledger.balance_sheet(uow_factory(readonly=True), SYSTEM, "ACME", YEAR_END, in_base=True)

    # 1010: 10,000.00 + 950.00 (1,000 USD as booked) - 1,380.00 = 9,570.00
    # 1100: 900.00 - 950.00 + 50.00 (the realised gain) = 0, left out
    # 1400: 10 AAPL at their cost of 1,380.00; the hours weigh in hours: left out
    # result: sales -900.00, exchange gain -50.00 = -950.00
    assert _balances(sheet) == {
        "1010": ("EUR", D("9570.00")),
        "1400": ("EUR", D("1380.00")),
        "3000": ("EUR", D("-10000.00")),
        "": ("EUR", D("-950.00")),
    }
    assert sheet.totals == {
        "asset": {"EUR": D("10950.00")},
        "equity": {"EUR": D("-10950.00")},
    }  # assets = liabilities + equity + current earnings


def test_the_default_balance_sheet_stays_per_commodity(uow_factory: Uows) -> None:
    _books(uow_factory)

    sheet = ledger.balance_sheet(uow_factory(readonly=True), SYSTEM, "ACME", YEAR_END)

    assert {(r.account, r.commodity): r.balance for r in sheet.rows} == {
        ("1010", "EUR"): D("8620.00"),
        ("1010", "USD"): D("1000.00"),
        ("1300", "HRS"): D("8.00"),
        ("1400", "AAPL"): D("10"),
        ("2200", "HRS"): D("-8.00"),
        ("3000", "EUR"): D("-10000.00"),
        ("", "EUR"): D("-950.00"),
    }


def test_the_income_statement_in_base_has_one_balance_per_account(uow_factory: Uows) -> None:
    _books(uow_factory)

    statement = ledger.income_statement(
        uow_factory(readonly=True),
        SYSTEM,
        "ACME",
        YEAR_START,
        YEAR_END,
        date(2025, 1, 1),
        date(2025, 12, 31),
        in_base=True,
    )

    assert _balances(statement) == {"4000": ("EUR", D("-900.00")), "7900": ("EUR", D("-50.00"))}
    assert statement.totals == {"income": {"EUR": D("-900.00")}, "expense": {"EUR": D("-50.00")}}
    assert statement.comparison is not None
    assert statement.comparison.rows == ()


def test_after_the_year_end_close_the_result_sits_in_retained_earnings(
    uow_factory: Uows,
) -> None:
    _books(uow_factory)

    ledger.close_fiscal_year(uow_factory(), SYSTEM, "ACME", "2026")

    sheet = ledger.balance_sheet(uow_factory(readonly=True), SYSTEM, "ACME", YEAR_END, in_base=True)
    assert _balances(sheet)["3900"] == ("EUR", D("-950.00"))
    assert "" not in _balances(sheet)
    assert sheet.totals["asset"] == {"EUR": D("10950.00")}
    statement = ledger.income_statement(
        uow_factory(readonly=True), SYSTEM, "ACME", YEAR_START, YEAR_END, in_base=True
    )
    assert _balances(statement) == {"4000": ("EUR", D("-900.00")), "7900": ("EUR", D("-50.00"))}
