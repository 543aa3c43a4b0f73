"""Money and Quantity: exact arithmetic, commercial rounding, allocation, refusals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import Money, Quantity, to_decimal

# What a careless caller passes; typed Any because the signatures rightly forbid it.
A_FLOAT: Any = 0.1

# Currencies with 0, 2, 3 and 4 minor units.
CURRENCIES = ["JPY", "EUR", "KWD", "CLF"]

# Amounts an ERP stores: up to a trillion, six decimals (the exact column's scale).
amounts = st.decimals(
    min_value=Decimal("-1000000000000"),
    max_value=Decimal("1000000000000"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


@st.composite
def same_currency(draw: st.DrawFn, count: int) -> list[Money]:
    currency = draw(st.sampled_from(CURRENCIES))
    return [Money(draw(amounts), currency) for _ in range(count)]


def unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-Money.zero(currency).places)


# --- addition ------------------------------------------------------------------------


@given(same_currency(2))
def test_addition_is_commutative(pair: list[Money]) -> None:
    a, b = pair
    assert a + b == b + a


@given(same_currency(3))
def test_addition_is_associative(triple: list[Money]) -> None:
    a, b, c = triple
    assert (a + b) + c == a + (b + c)


@given(same_currency(2))
def test_adding_then_subtracting_gives_back_the_exact_amount(pair: list[Money]) -> None:
    a, b = pair
    assert (a + b) - b == a
    assert a - a == Money.zero(a.currency)


@given(same_currency(1), st.integers(min_value=0, max_value=1000))
def test_repeated_addition_equals_multiplication(single: list[Money], times: int) -> None:
    (a,) = single
    total = Money.zero(a.currency)
    for _ in range(times):
        total += a
    assert total == a * times


def test_ten_times_ten_cents_is_exactly_one_euro() -> None:
    total = sum([Money.of("0.10", "EUR")] * 10, Money.zero("EUR"))
    assert total == Money.of("1.00", "EUR")
    assert str(total) == "1.00 EUR"


def test_a_hundred_thousand_ten_cent_amounts_add_up_to_exactly_ten_thousand() -> None:
    total = Money.zero("EUR")
    ten_cents = Money.of("0.10", "EUR")
    for _ in range(100_000):
        total += ten_cents
    assert total.amount == Decimal("10000.00")


# --- rounding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.125", "EUR", "0.13"),
        ("-0.125", "EUR", "-0.13"),
        ("0.124999", "EUR", "0.12"),
        ("2.675", "EUR", "2.68"),
        ("0.5", "JPY", "1"),
        ("2.5", "JPY", "3"),  # half-up, not banker's rounding (which gives 2)
        ("-2.5", "JPY", "-3"),
        ("1234.4999", "JPY", "1234"),
        ("1.2345", "KWD", "1.235"),
        ("-1.2345", "KWD", "-1.235"),
        ("1.2344", "KWD", "1.234"),
        ("7", "KWD", "7.000"),
    ],
)
def test_rounding_to_the_minor_unit_is_half_up(amount: str, currency: str, expected: str) -> None:
    rounded = Money.of(amount, currency).rounded()
    assert str(rounded.amount) == expected
    assert rounded.currency == currency


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("EUR", 2), ("KWD", 3)])
def test_each_currency_rounds_to_its_own_minor_unit(currency: str, places: int) -> None:
    assert Money.zero(currency).places == places
    assert Money.of("1.23456", currency).rounded().amount.as_tuple().exponent == -places


@given(same_currency(1))
def test_rounding_moves_an_amount_by_at_most_half_a_minor_unit(single: list[Money]) -> None:
    (money,) = single
    rounded = money.rounded()
    assert rounded.amount.as_tuple().exponent == -money.places
    assert abs(rounded.amount - money.amount) <= unit(money.currency) / 2
    assert rounded.rounded() == rounded


@given(same_currency(1))
def test_rounding_is_symmetric_around_zero(single: list[Money]) -> None:
    (money,) = single
    assert (-money).rounded() == -(money.rounded())


# --- allocation ----------------------------------------------------------------------


def test_allocating_ten_euros_three_ways_gives_the_extra_cent_to_the_first_part() -> None:
    parts = Money.of("10", "EUR").allocate([1, 1, 1])
    assert [str(p) for p in parts] == ["3.34 EUR", "3.33 EUR", "3.33 EUR"]


def test_allocating_minus_ten_euros_three_ways_adds_up_to_minus_ten() -> None:
    parts = Money.of("-10", "EUR").allocate([1, 1, 1])
    assert sorted(p.amount for p in parts) == [Decimal("-3.34"), Decimal("-3.33"), Decimal("-3.33")]


@given(
    same_currency(1),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(
        lambda ratios: sum(ratios) > 0
    ),
)
def test_allocated_parts_sum_exactly_to_the_rounded_total(
    single: list[Money], ratios: list[int]
) -> None:
    (money,) = single
    parts = money.allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum(parts, Money.zero(money.currency)) == money.rounded()
    for part, ratio in zip(parts, ratios, strict=True):
        assert part.currency == money.currency
        assert part.amount.as_tuple().exponent == -money.places
        exact_share = money.rounded().amount * ratio / sum(ratios)
        assert abs(part.amount - exact_share) < unit(money.currency)
        if ratio == 0:
            assert part.is_zero()


@given(same_currency(1), st.integers(min_value=1, max_value=50))
def test_equal_shares_differ_by_at_most_one_minor_unit(single: list[Money], ways: int) -> None:
    (money,) = single
    parts = money.allocate([1] * ways)
    amounts_ = [p.amount for p in parts]
    assert max(amounts_) - min(amounts_) <= unit(money.currency)
    assert sum(parts, Money.zero(money.currency)) == money.rounded()


@pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1], ["-2", "3"]])
def test_allocation_needs_non_negative_ratios_with_a_positive_sum(ratios: list[int]) -> None:
    with pytest.raises(InvalidInput):
        Money.of("10", "EUR").allocate(ratios)


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda: Money.of(A_FLOAT, "EUR"), id="Money.of"),
        pytest.param(lambda: Money(A_FLOAT, "EUR"), id="Money()"),
        pytest.param(lambda: Money.of("1", "EUR") * A_FLOAT, id="multiply"),
        pytest.param(lambda: A_FLOAT * Money.of("1", "EUR"), id="reverse-multiply"),
        pytest.param(lambda: Money.of("1", "EUR").allocate([A_FLOAT, A_FLOAT]), id="allocate"),
        pytest.param(lambda: Quantity.of(A_FLOAT, "kg"), id="Quantity.of"),
        pytest.param(lambda: Quantity(A_FLOAT, "kg"), id="Quantity()"),
        pytest.param(lambda: to_decimal(A_FLOAT), id="to_decimal"),
    ],
)
def test_a_float_is_refused_everywhere(attempt: Callable[[], object]) -> None:
    with pytest.raises(InvalidInput) as caught:
        attempt()
    assert caught.value.code == "money.float_refused"


@pytest.mark.parametrize("text", ["abc", "", "1,50", "NaN", "Infinity", "-inf"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Money.of(text, "EUR")
    assert caught.value.code == "money.bad_number"


def test_amounts_are_parsed_exactly_from_text_and_integers() -> None:
    assert Money.of("0.10", "eur") == Money(Decimal("0.10"), "EUR")
    assert Money.of(" 12 ", "JPY").amount == Decimal(12)
    assert Money.of(7, "EUR").amount == Decimal(7)


@pytest.mark.parametrize(
    "combine",
    [
        pytest.param(lambda a, b: a + b, id="add"),
        pytest.param(lambda a, b: a - b, id="subtract"),
        pytest.param(lambda a, b: a < b, id="less-than"),
        pytest.param(lambda a, b: a <= b, id="less-or-equal"),
    ],
)
def test_combining_two_currencies_is_refused(combine: Callable[[Money, Money], object]) -> None:
    with pytest.raises(InvalidInput) as caught:
        combine(Money.of("1", "EUR"), Money.of("1", "USD"))
    assert caught.value.code == "money.currency_mismatch"
    assert "EUR" in caught.value.message
    assert "USD" in caught.value.message


@pytest.mark.parametrize("currency", ["XYZ", "EURO", "", "€"])
def test_an_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Money.of("1", currency)
    assert caught.value.code == "money.bad_currency"


def test_an_unknown_currency_is_refused_by_the_constructor() -> None:
    with pytest.raises(InvalidInput) as caught:
        Money(Decimal(1), "XYZ")
    assert caught.value.code == "money.bad_currency"


def test_an_unknown_currency_has_no_zero() -> None:
    with pytest.raises(InvalidInput) as caught:
        Money.zero("ABC")
    assert caught.value.code == "money.bad_currency"


def test_combining_quantities_of_different_units_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        Quantity.of("1", "kg") + Quantity.of("1", "pcs")
    assert caught.value.code == "money.unit_mismatch"


def test_quantities_of_the_same_unit_add_and_subtract_exactly() -> None:
    total = Quantity.of("0.1", "kg") + Quantity.of("0.2", "kg")
    assert total == Quantity.of("0.3", "kg")
    assert str(total - Quantity.of("0.3", "kg")) == "0.0 kg"


def test_a_quantity_needs_a_unit() -> None:
    with pytest.raises(InvalidInput) as caught:
        Quantity.of("1", "")
    assert caught.value.code == "money.bad_unit"
