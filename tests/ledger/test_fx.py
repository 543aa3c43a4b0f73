"""Exchange rates, conversion and the revaluation of foreign-currency balances."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hansa import ledger
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import HansaError
from hansa.ledger.domain import closing as closing_domain
from hansa.ledger.domain import fx as fx_domain
from hansa.ledger.domain.entries import EntryDraft, LineDraft, check_entry
from tests.ledger.fx_support import D, Uows, balances, company, failing_checks, post

MARCH, END_OF_MARCH, APRIL = date(2026, 3, 10), date(2026, 3, 31), date(2026, 4, 1)


def test_the_domain_examples_hold() -> None:
    for module in (fx_domain, closing_domain):
        assert doctest.testmod(module).failed == 0


# --- rates ---------------------------------------------------------------------------


def test_a_rate_is_listed_and_a_second_rate_for_the_same_day_replaces_it(
    uow_factory: Uows,
) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "usd", MARCH, D("0.92"))
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", MARCH, D("0.9215"))
    ledger.set_rate(uow_factory(), SYSTEM, None, "GBP", MARCH, D("1.17"))

    rates = ledger.list_rates(uow_factory(readonly=True), SYSTEM, None)

    assert [(r.currency, r.day, r.rate) for r in rates] == [
        ("GBP", MARCH, D("1.17")),
        ("USD", MARCH, D("0.9215")),
    ]
    only_usd = ledger.list_rates(uow_factory(readonly=True), SYSTEM, None, "USD")
    assert [r.currency for r in only_usd] == ["USD"]


@pytest.mark.parametrize(
    ("currency", "rate", "code", "says"),
    [
        ("USD", "0", "ledger.bad_rate", "positive"),
        ("USD", "-1.5", "ledger.bad_rate", "positive"),
        ("USD", "0.12345678901", "ledger.bad_rate", "more than 10 decimals"),
        ("EUR", "1", "ledger.rate_of_base", "company currency"),
        ("XYZ", "2", "ledger.unknown_commodity", "neither an ISO 4217 currency"),
    ],
)
def test_a_bad_rate_is_refused_with_the_reason(
    uow_factory: Uows, currency: str, rate: str, code: str, says: str
) -> None:
    company(uow_factory)
    with pytest.raises(HansaError) as refused:
        ledger.set_rate(uow_factory(), SYSTEM, None, currency, MARCH, D(rate))
    assert refused.value.code == code
    assert says in refused.value.message


def test_a_declared_commodity_can_have_a_rate(uow_factory: Uows) -> None:
    company(uow_factory)
    ledger.declare_commodity(uow_factory(), SYSTEM, "ACME-SH", 0)
    ledger.set_rate(uow_factory(), SYSTEM, None, "ACME-SH", MARCH, D("12.5"))
    assert ledger.convert(uow_factory(), SYSTEM, None, D(4), "ACME-SH", MARCH) == D("50.00")


def test_importing_rates_stores_every_row(uow_factory: Uows) -> None:
    company(uow_factory)
    rows = [
        {"date": "2026-03-01", "currency": "USD", "rate": "0.92"},
        {"date": "2026-03-02", "currency": "usd", "rate": "0.93"},
        {"date": "2026-03-01", "currency": "JPY", "rate": "0.0061"},
    ]

    done = ledger.import_rates(uow_factory(), SYSTEM, None, rows)

    assert (done.count, done.currencies) == (3, ("JPY", "USD"))
    assert (done.first, done.last) == (date(2026, 3, 1), date(2026, 3, 2))
    assert len(ledger.list_rates(uow_factory(readonly=True), SYSTEM, None)) == 3


def test_an_import_with_bad_rows_names_each_and_stores_nothing(uow_factory: Uows) -> None:
    company(uow_factory)
    rows = [
        {"date": "2026-03-01", "currency": "USD", "rate": "0.92"},
        {"date": "2026-13-01", "currency": "USD", "rate": "0.92"},
        {"date": "2026-03-02", "currency": "USD", "rate": "abc"},
        {"date": "2026-03-02", "currency": "XYZ", "rate": "1"},
        {"date": "2026-03-02", "currency": "EUR", "rate": "1"},
        {"date": "2026-03-01", "currency": "USD", "rate": "0.95"},
        {"date": "2026-03-03", "currency": "USD", "rate": "-1"},
        {"date": "2026-03-03", "currency": "USD", "rate": ""},
    ]

    with pytest.raises(HansaError) as refused:
        ledger.import_rates(uow_factory(), SYSTEM, None, rows)

    error = refused.value
    assert error.code == "ledger.import_rejected"
    assert [e["line"] for e in error.details["errors"]] == [3, 4, 5, 6, 7, 8, 9]
    message = error.message
    assert message.startswith("7 bad rows, nothing imported")
    assert "line 3: date '2026-13-01' is not YYYY-MM-DD" in message
    assert "line 4: rate 'abc' is not a number" in message
    assert "line 5: 'XYZ' is neither" in message
    assert "line 6: EUR is the company currency" in message
    assert "line 7: USD on 2026-03-01 is given on line 2" in message
    assert "line 8: a rate must be positive" in message
    assert "line 9: no rate" in message
    assert ledger.list_rates(uow_factory(readonly=True), SYSTEM, None) == []


def test_an_import_without_the_rate_columns_is_refused(uow_factory: Uows) -> None:
    company(uow_factory)
    with pytest.raises(HansaError, match=r"needs the columns date,currency,rate"):
        ledger.import_rates(uow_factory(), SYSTEM, None, [{"day": "2026-03-01", "fx": "1"}])


# --- conversion ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "amount", "rate", "expected"),
    [
        # EUR, 2 decimals: 10.25 x 0.5 = 5.125 -> 5.13 (half up; half-even would give 5.12)
        ("EUR", "10.25", "0.5", "5.13"),
        ("EUR", "-10.25", "0.5", "-5.13"),
        ("EUR", "100.00", "0.92345", "92.35"),  # 92.345
        # JPY, 0 decimals: 0.02 x 125 = 2.5 -> 3; 3.33 x 151.5 = 504.495 -> 504
        ("JPY", "0.02", "125", "3"),
        ("JPY", "3.33", "151.5", "504"),
        # KWD, 3 decimals: 1 x 0.3065 = 0.3065 -> 0.307; 10.01 x 0.3075 = 3.078075 -> 3.078
        ("KWD", "1", "0.3065", "0.307"),
        ("KWD", "10.01", "0.3075", "3.078"),
    ],
)
def test_conversion_rounds_half_up_to_the_company_currencys_minor_unit(
    uow_factory: Uows, base: str, amount: str, rate: str, expected: str
) -> None:
    code = company(uow_factory, base, code=f"CO{base}")
    ledger.set_rate(uow_factory(), SYSTEM, code, "USD", MARCH, D(rate))

    value = ledger.convert(uow_factory(readonly=True), SYSTEM, code, D(amount), "USD", MARCH)

    assert str(value) == expected


def test_conversion_uses_the_latest_rate_on_or_before_the_day(uow_factory: Uows) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", date(2026, 3, 1), D("0.90"))
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", date(2026, 3, 20), D("0.95"))

    def at(day: date) -> Decimal:
        return ledger.convert(uow_factory(readonly=True), SYSTEM, None, D(100), "USD", day)

    assert (at(MARCH), at(date(2026, 3, 20)), at(APRIL)) == (D("90.00"), D("95.00"), D("95.00"))


def test_a_missing_rate_names_the_currency_the_date_and_the_command(uow_factory: Uows) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", APRIL, D("0.95"))
    with pytest.raises(HansaError) as refused:
        ledger.convert(uow_factory(readonly=True), SYSTEM, None, D(1), "USD", MARCH)
    assert refused.value.code == "ledger.missing_rate"
    assert refused.value.message == (
        "no exchange rate for USD on or before 2026-03-10: "
        "set one with 'hansa fx set USD RATE --date 2026-03-10'"
    )


def _reference(amount: Decimal, rate: Decimal, places: int) -> Decimal:
    """Half-up rounding of the exact product, computed with integers only."""
    exact = Fraction(amount) * Fraction(rate) * 10**places
    units = (abs(exact.numerator) * 2 + exact.denominator) // (2 * exact.denominator)
    return Decimal(units if exact >= 0 else -units).scaleb(-places)


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2)
rates = st.decimals(min_value=D("0.0000000001"), max_value=1000, places=10)


@given(amount=amounts, rate=rates, places=st.sampled_from([0, 2, 3]))
def test_conversion_equals_the_reference_rounding(
    amount: Decimal, rate: Decimal, places: int
) -> None:
    assert fx_domain.to_base(amount, rate, places) == _reference(amount, rate, places)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=amounts, rate=rates)
def test_the_convert_use_case_equals_the_reference_rounding(
    uow_factory: Uows, amount: Decimal, rate: Decimal
) -> None:
    if not ledger.list_companies(uow_factory(readonly=True), SYSTEM):
        company(uow_factory, "KWD")
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", MARCH, rate)
    value = ledger.convert(uow_factory(readonly=True), SYSTEM, None, amount, "USD", MARCH)
    assert value == _reference(amount, rate, 3)


# --- posting and revaluation ---------------------------------------------------------


def test_a_usd_purchase_in_a_eur_company_weighs_its_value_at_the_days_rate(
    uow_factory: Uows,
) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", date(2026, 3, 1), D("0.9234"))

    entry = post(uow_factory, MARCH, ("6100", "100.05", "USD"), ("2000", "-100.05", "USD"))

    # 100.05 x 0.9234 = 92.38617 -> 92.39 EUR
    assert [(ln.amount, ln.commodity, ln.weight, ln.weight_currency) for ln in entry.lines] == [
        (D("100.05"), "USD", D("92.39"), "EUR"),
        (D("-100.05"), "USD", D("-92.39"), "EUR"),
    ]


def _usd_books(uows: Uows) -> None:
    """1000 USD in the bank and 500 USD owed for rent, both at 0.92."""
    company(uows)
    ledger.set_rate(uows(), SYSTEM, None, "USD", date(2026, 3, 1), D("0.92"))
    post(uows, MARCH, ("1010", "1000.00", "USD"), ("3000", "-920.00", "EUR"))
    post(uows, MARCH, ("6100", "500.00", "USD"), ("2000", "-500.00", "USD"))
    ledger.set_rate(uows(), SYSTEM, None, "USD", END_OF_MARCH, D("0.95"))


def test_revaluation_posts_the_hand_computed_differences_and_keeps_the_books_tied(
    uow_factory: Uows,
) -> None:
    _usd_books(uow_factory)

    result = ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH)

    # bank 1000 USD: 920.00 -> 950.00 (+30.00); payable -500 USD: -460.00 -> -475.00
    # (-15.00); the rent expense keeps its historical value; net gain 15.00 EUR.
    assert [
        (r.account, r.balance, r.rate, r.old_value, r.new_value, r.difference) for r in result.rows
    ] == [
        ("1010", D("1000.00"), D("0.95"), D("920.00"), D("950.00"), D("30.00")),
        ("2000", D("-500.00"), D("0.95"), D("-460.00"), D("-475.00"), D("-15.00")),
    ]
    assert result.total == D("15.00")
    assert result.entry is not None
    assert (result.entry.journal, result.entry.date, result.entry.reference) == (
        "GEN",
        END_OF_MARCH,
        "revaluation",
    )
    assert [
        (ln.account_code, ln.amount, ln.commodity, ln.weight, ln.weight_currency)
        for ln in result.entry.lines
    ] == [
        ("1010", D("0.00"), "USD", D("30.00"), "EUR"),
        ("2000", D("0.00"), "USD", D("-15.00"), "EUR"),
        ("7900", D("-15.00"), "EUR", D("-15.00"), "EUR"),
    ]
    after = balances(uow_factory, END_OF_MARCH)
    assert after[("1010", "USD")] == D("1000.00")  # the foreign balance is unchanged
    assert after[("7900", "EUR")] == D("-15.00")
    sheet = ledger.balance_sheet(uow_factory(readonly=True), SYSTEM, None, END_OF_MARCH)
    result_row = {(r.name, r.commodity): r.balance for r in sheet.rows}
    assert result_row[("Result not yet closed", "EUR")] == D("-15.00")
    assert failing_checks(uow_factory) == []


def test_after_a_revaluation_the_books_carry_the_new_values(uow_factory: Uows) -> None:
    _usd_books(uow_factory)
    ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH)

    again = ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH, post=False)

    assert (again.rows, again.entry) == ((), None)


def test_a_preview_posts_nothing(uow_factory: Uows) -> None:
    _usd_books(uow_factory)

    preview = ledger.revalue(uow_factory(readonly=True), SYSTEM, None, END_OF_MARCH, post=False)

    assert (preview.total, preview.entry) == (D("15.00"), None)
    assert ("7900", "EUR") not in balances(uow_factory, END_OF_MARCH)


def test_revaluation_reversed_next_day_restores_historical_values(uow_factory: Uows) -> None:
    _usd_books(uow_factory)

    result = ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH, reverse_next_day=True)

    assert result.entry is not None
    assert result.reversal is not None
    assert result.reversal.date == APRIL
    assert result.entry.reversed_by == result.reversal.id
    assert result.reversal.reversal_of == result.entry.id
    assert ("7900", "EUR") not in balances(uow_factory, APRIL)
    assert ledger.revalue(uow_factory(), SYSTEM, None, APRIL, post=False).total == D("15.00")
    assert failing_checks(uow_factory) == []


def test_a_value_left_on_a_settled_foreign_account_is_cleared(uow_factory: Uows) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "USD", date(2026, 3, 1), D("0.92"))
    post(uow_factory, MARCH, ("1010", "100.00", "USD"), ("3000", "-92.00", "EUR"))
    # Spent at another rate: the bank holds 0 USD but still carries -3.00 EUR.
    post(uow_factory, MARCH, ("1010", "-100.00", "USD", "-95.00", "EUR"), ("6100", "95.00", "EUR"))

    result = ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH)

    assert [(r.account, r.balance, r.rate, r.difference) for r in result.rows] == [
        ("1010", D("0.00"), None, D("3.00"))
    ]
    assert balances(uow_factory, END_OF_MARCH)[("7900", "EUR")] == D("-3.00")
    assert failing_checks(uow_factory) == []


def test_revaluation_without_a_rate_says_which_one_to_set(uow_factory: Uows) -> None:
    company(uow_factory)
    ledger.set_rate(uow_factory(), SYSTEM, None, "GBP", MARCH, D("1.17"))
    post(uow_factory, MARCH, ("1010", "10.00", "GBP"), ("3000", "-11.70", "EUR"))
    post(uow_factory, MARCH, ("1010", "10.00", "CHF", "10.50", "EUR"), ("3000", "-10.50", "EUR"))

    with pytest.raises(HansaError) as refused:
        ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH)

    assert refused.value.code == "ledger.missing_rate"
    assert "no exchange rate for CHF on or before 2026-03-31" in refused.value.message


def test_gains_and_losses_go_to_an_income_or_expense_account(uow_factory: Uows) -> None:
    _usd_books(uow_factory)
    with pytest.raises(HansaError, match="account 1000 is asset"):
        ledger.revalue(uow_factory(), SYSTEM, None, END_OF_MARCH, "1000")


# --- the rule that lets a revaluation line exist ---------------------------------------


def _entry(*lines: LineDraft) -> EntryDraft:
    return EntryDraft("GEN", MARCH, lines)


def test_a_zero_amount_may_weigh_a_value_in_another_currency() -> None:
    revaluation = LineDraft("1010", "USD", D(0), D("30.00"), "EUR")
    assert revaluation.revalues
    check_entry(_entry(revaluation, LineDraft("7900", "EUR", D("-30.00"))))


@pytest.mark.parametrize(
    "line",
    [
        LineDraft("1010", "EUR", D(0), D("30.00"), "EUR"),  # zero weighing itself
        LineDraft("1010", "USD", D("30.00"), D(0), "EUR"),  # an amount weighing nothing
    ],
)
def test_other_mismatches_of_amount_and_weight_are_refused(line: LineDraft) -> None:
    with pytest.raises(HansaError) as refused:
        check_entry(_entry(line, LineDraft("7900", "EUR", -(line.weight or D(0)))))
    assert refused.value.code == "ledger.bad_weight"
