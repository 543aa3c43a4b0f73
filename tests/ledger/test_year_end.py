"""The year-end close: income and expenses move into retained earnings."""

from __future__ import annotations

from datetime import date

import pytest

from hansa import ledger
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import HansaError
from tests.ledger.fx_support import D, Uows, balances, company, failing_checks, post

START, END = date(2025, 1, 1), date(2025, 12, 31)


def _year_2025(uows: Uows) -> None:
    """Sales 1000.00, rent 400.00 and a 100 USD expense worth 90.00: a 510.00 profit."""
    company(uows, year_of=date(2025, 6, 1))
    ledger.open_fiscal_year(uows(), SYSTEM, None, date(2026, 1, 1))
    ledger.set_rate(uows(), SYSTEM, None, "USD", START, D("0.90"))
    post(
        uows,
        date(2025, 3, 10),
        ("1100", "1190", "EUR"),
        ("4000", "-1000", "EUR"),
        ("2100", "-190", "EUR"),
    )
    post(uows, date(2025, 5, 1), ("6100", "400", "EUR"), ("1010", "-400", "EUR"))
    post(uows, date(2025, 7, 1), ("6200", "100", "USD"), ("2000", "-100", "USD"))


def _income_statement(uows: Uows) -> dict[tuple[str, str], object]:
    statement = ledger.income_statement(uows(readonly=True), SYSTEM, None, START, END)
    return {(r.account, r.commodity): r.balance for r in statement.rows}


def test_closing_moves_the_result_into_retained_earnings(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    before = _income_statement(uow_factory)

    closing = ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")

    assert closing.result == {"EUR": D("-510.00")}
    assert closing.entry is not None
    assert (closing.entry.journal, closing.entry.number, closing.entry.date) == (
        "CLO",
        "CLO/2025/000001",
        END,
    )
    assert sorted(
        (ln.account_code, ln.amount, ln.commodity, ln.weight) for ln in closing.entry.lines
    ) == [
        ("3900", D("-510.00"), "EUR", D("-510.00")),
        ("4000", D("1000.00"), "EUR", D("1000.00")),
        ("6100", D("-400.00"), "EUR", D("-400.00")),
        ("6200", D("-100.00"), "USD", D("-90.00")),
    ]
    assert closing.year.state is ledger.PeriodState.closed
    assert (
        _income_statement(uow_factory)
        == before
        == {
            ("4000", "EUR"): D("-1000.00"),
            ("6100", "EUR"): D("400.00"),
            ("6200", "USD"): D("100.00"),
        }
    )
    sheet = ledger.balance_sheet(uow_factory(readonly=True), SYSTEM, None, END)
    equity = {(r.account, r.name): r.balance for r in sheet.rows if r.type == "equity"}
    assert equity == {("3900", "Retained earnings"): D("-510.00")}
    after = balances(uow_factory, END)
    assert not {("4000", "EUR"), ("6100", "EUR"), ("6200", "USD")} & set(after)
    assert failing_checks(uow_factory) == []


def test_a_closed_year_takes_no_more_postings(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")

    periods = ledger.list_periods(uow_factory(readonly=True), SYSTEM, None)
    assert {p.state for p in periods if p.start.year == 2025} == {ledger.PeriodState.closed}
    assert {p.state for p in periods if p.start.year == 2026} == {ledger.PeriodState.open}
    with pytest.raises(HansaError) as refused:
        post(uow_factory, date(2025, 6, 15), ("6100", "1", "EUR"), ("1010", "-1", "EUR"))
    assert refused.value.code == "ledger.closed_period"
    assert "period 2025-06 is closed" in refused.value.message


def test_a_year_closes_only_once(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")
    with pytest.raises(HansaError) as refused:
        ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")
    assert (refused.value.code, refused.value.message) == (
        "ledger.year_closed",
        "fiscal year 2025 is already closed",
    )


def test_a_year_with_drafts_is_not_closed(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    draft = post(
        uow_factory, date(2025, 8, 1), ("6100", "5", "EUR"), ("1010", "-5", "EUR"), draft=True
    )

    with pytest.raises(HansaError) as refused:
        ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")

    assert refused.value.code == "ledger.year_has_drafts"
    assert f"fiscal year 2025 has 1 draft entry ({draft.id})" in refused.value.message
    periods = ledger.list_periods(uow_factory(readonly=True), SYSTEM, None)
    assert {p.state for p in periods} == {ledger.PeriodState.open}


def test_years_close_in_order(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    with pytest.raises(HansaError) as refused:
        ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2026")
    assert refused.value.code == "ledger.year_order"
    assert "fiscal year 2025 is still open" in refused.value.message


def test_an_unknown_year_is_named_with_the_years_there_are(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    with pytest.raises(HansaError, match=r"no fiscal year '2024' \(years: 2025, 2026\)"):
        ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2024")


def test_a_year_closed_month_by_month_can_still_be_closed(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    for month in range(1, 13):
        ledger.set_period_state(
            uow_factory(), SYSTEM, None, f"2025-{month:02d}", ledger.PeriodState.closed
        )

    closing = ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")

    assert closing.entry is not None
    assert closing.entry.date == END
    periods = ledger.list_periods(uow_factory(readonly=True), SYSTEM, None)
    assert {p.state for p in periods if p.start.year == 2025} == {ledger.PeriodState.closed}


def test_a_year_without_income_or_expenses_closes_without_an_entry(uow_factory: Uows) -> None:
    company(uow_factory, year_of=date(2025, 6, 1))
    closing = ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")
    assert (closing.entry, closing.result) == (None, {})


def test_foreign_expenses_refunded_at_another_rate_close_to_zero(uow_factory: Uows) -> None:
    company(uow_factory, year_of=date(2025, 6, 1))
    # 6200: +100 USD weighing 90.00 and -90 USD weighing -90.00 -> 10 USD worth nothing.
    post(uow_factory, date(2025, 2, 1), ("6200", "100", "USD", "90", "EUR"), ("1010", "-90", "EUR"))
    post(uow_factory, date(2025, 3, 1), ("6200", "-90", "USD", "-90", "EUR"), ("1010", "90", "EUR"))
    # 6300: +50 USD weighing 45.00 and -50 USD weighing -50.00 -> 0 USD worth -5.00.
    post(uow_factory, date(2025, 4, 1), ("6300", "50", "USD", "45", "EUR"), ("1010", "-45", "EUR"))
    post(uow_factory, date(2025, 5, 1), ("6300", "-50", "USD", "-50", "EUR"), ("1010", "50", "EUR"))

    closing = ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025")

    assert closing.result == {"EUR": D("-5.00")}
    after = balances(uow_factory, END)
    assert {k: v for k, v in after.items() if k[0] in {"6200", "6300"}} == {}
    assert after[("3900", "EUR")] == D("-5.00")
    assert failing_checks(uow_factory) == []


def test_the_result_goes_to_an_equity_account(uow_factory: Uows) -> None:
    _year_2025(uow_factory)
    with pytest.raises(HansaError, match="account 1010 is asset"):
        ledger.close_fiscal_year(uow_factory(), SYSTEM, None, "2025", "1010")
