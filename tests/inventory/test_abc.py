"""The ABC classification of cycle counting: a hand-computed case and its algebra, the
count schedule by class, and classifying the products of real books."""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansa import audit, inventory
from hansa.inventory.domain import abc as abc_domain
from hansa.inventory.domain.abc import (
    DEFAULT_FREQUENCY,
    DEFAULT_THRESHOLDS,
    AbcClass,
    Consumption,
    Thresholds,
    add_months,
    classify,
    is_due,
    parse_frequency,
    parse_thresholds,
)
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import HansaError
from tests.inventory.support import (
    D,
    Uows,
    books,
    issue,
    receive,
)

COUNTED_ON = date(2026, 10, 30)  # the end of the classified period in these books


def test_the_abc_examples_hold() -> None:
    assert doctest.testmod(abc_domain).failed == 0


def test_a_hand_computed_abc_classification() -> None:
    values = {"X": "500", "Y": "300", "Z": "150", "Q": "50", "R": "0"}

    ranked = classify([Consumption(k, D(v)) for k, v in values.items()], DEFAULT_THRESHOLDS)

    # X and Y make exactly 80 %: A; Z takes the next 15 % (to 95 %): B; the rest C.
    assert [(c.sku, c.cumulative_percent, c.abc_class.value) for c in ranked] == [
        ("X", D("50.00"), "A"),
        ("Y", D("80.00"), "A"),
        ("Z", D("95.00"), "B"),
        ("Q", D("100.00"), "C"),
        ("R", D("100.00"), "C"),
    ]


values = st.decimals(min_value=0, max_value=10000, places=2)
consumptions = st.lists(
    st.tuples(st.text("ABCDEFGH", min_size=1, max_size=3), values), max_size=25
).map(lambda items: [Consumption(sku, v) for sku, v in dict(items).items()])
thresholds = (
    st.tuples(st.integers(0, 100), st.integers(0, 100))
    .filter(lambda ab: ab[0] + ab[1] <= 100)
    .map(lambda ab: Thresholds(D(ab[0]), D(ab[1]), D(100 - ab[0] - ab[1])))
)
RANK = {AbcClass.A: 0, AbcClass.B: 1, AbcClass.C: 2}


@given(consumptions, thresholds)
def test_classes_are_monotone_in_value(items: list[Consumption], t: Thresholds) -> None:
    ranked = classify(items, t)

    for one in ranked:
        for other in ranked:
            if one.value > other.value:
                assert RANK[one.abc_class] <= RANK[other.abc_class]
    assert all(c.abc_class is AbcClass.C for c in ranked if c.value == 0)


@given(consumptions, thresholds)
def test_a_holds_at_least_its_share_and_not_one_product_more_than_it_needs(
    items: list[Consumption], t: Thresholds
) -> None:
    ranked = classify(items, t)
    total = sum((c.value for c in ranked), D(0))
    a = [c.value for c in ranked if c.abc_class is AbcClass.A]
    ab = [c.value for c in ranked if c.abc_class is not AbcClass.C]

    assert sum(a, D(0)) * 100 >= t.a * total
    assert sum(ab, D(0)) * 100 >= (t.a + t.b) * total
    if a:  # without its smallest member, A is under its share
        assert sum(a[:-1], D(0)) * 100 < t.a * total
    if ab:
        assert sum(ab[:-1], D(0)) * 100 < (t.a + t.b) * total


@given(consumptions, st.randoms())
def test_the_classification_does_not_depend_on_the_input_order(
    items: list[Consumption], rnd: Random
) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)

    assert classify(shuffled, DEFAULT_THRESHOLDS) == classify(items, DEFAULT_THRESHOLDS)


def test_ties_rank_by_sku() -> None:
    tied = [Consumption(sku, D(5)) for sku in ("T3", "T1", "T2")]
    ranked = classify([*tied, Consumption("X", D(85))], DEFAULT_THRESHOLDS)

    # after X's 85 %, the first two of the tie fill B up to 95 %; the third is C
    assert [(c.sku, c.abc_class.value) for c in ranked] == [
        ("X", "A"),
        ("T1", "B"),
        ("T2", "B"),
        ("T3", "C"),
    ]


@pytest.mark.parametrize("text", ["80,15", "80,15,6", "a,b,c", "-5,100,5"])
def test_thresholds_must_be_three_shares_of_100(text: str) -> None:
    with pytest.raises(HansaError) as refused:
        parse_thresholds(text)

    assert refused.value.code == "inventory.bad_thresholds"


def test_the_count_schedule_by_class() -> None:
    every = parse_frequency("A=2")

    assert every == {AbcClass.A: 2, AbcClass.B: 3, AbcClass.C: 12}
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert is_due(None, None, COUNTED_ON, DEFAULT_FREQUENCY)  # never counted
    assert is_due(AbcClass.C, date(2025, 10, 30), COUNTED_ON, DEFAULT_FREQUENCY)
    assert not is_due(None, date(2025, 10, 31), COUNTED_ON, DEFAULT_FREQUENCY)  # no class: C
    assert not is_due(AbcClass.A, date(2026, 9, 1), COUNTED_ON, every)
    assert is_due(AbcClass.A, date(2026, 8, 30), COUNTED_ON, every)


def _product(uows: Uows, sku: str, cost: str, quantity: str) -> None:
    inventory.add_product(
        uows(), SYSTEM, None, sku=sku, name=sku.title(), price=D(cost) * 2, cost=D(cost)
    )
    receive(uows, quantity, cost, sku=sku, date=date(2026, 1, 5))


def _abc_books(uows: Uows) -> None:
    books(uows)  # W1 at 5.00 in a FIFO category
    receive(uows, "100", "5.00", date=date(2026, 1, 5))
    _product(uows, "BOLT", "1.00", "100")
    _product(uows, "NUT", "0.50", "100")
    issue(uows, "16", date=date(2026, 3, 1))  # 80.00
    issue(uows, "15", sku="BOLT", date=date(2026, 4, 1))  # 15.00
    issue(uows, "20", sku="NUT", date=date(2026, 1, 10))  # before the period
    scrap = inventory.MoveRequest("scrap", "NUT", D(10), date=date(2026, 5, 1))
    inventory.move_stock(uows(), SYSTEM, None, scrap)  # 5.00
    sold = issue(uows, "2", sku="BOLT", date=date(2026, 6, 1))
    inventory.counter_move(uows(), SYSTEM, None, sold.id, reason="returned", day=date(2026, 6, 2))


def test_abc_ranks_by_consumption_value_net_of_returns_and_stores_the_classes(
    uow_factory: Uows,
) -> None:
    _abc_books(uow_factory)
    start, end = date(2026, 2, 1), COUNTED_ON

    analysis = inventory.classify_products(uow_factory(), SYSTEM, None, start=start, end=end)
    again = inventory.classify_products(
        uow_factory(), SYSTEM, None, start=start, end=end, dry_run=True
    )

    assert [
        (ln.sku, ln.consumption_value, ln.cumulative_percent, ln.abc_class.value)
        for ln in analysis.lines
    ] == [
        ("W1", D("80.00"), D("80.00"), "A"),
        ("BOLT", D("15.00"), D("95.00"), "B"),
        ("NUT", D("5.00"), D("100.00"), "C"),
    ]
    assert analysis.total == D("100.00")
    assert analysis.stored
    assert all(ln.previous is None for ln in analysis.lines)
    assert [ln.previous for ln in again.lines] == [AbcClass.A, AbcClass.B, AbcClass.C]
    assert not again.stored
    trail = audit.list_records(
        uow_factory(readonly=True), SYSTEM, action="inventory.product.classify"
    )
    assert sorted(r.entity_id for r in trail) == ["ACME:BOLT", "ACME:NUT", "ACME:W1"]


def test_by_default_abc_looks_at_the_last_twelve_months_and_a_dry_run_stores_nothing(
    uow_factory: Uows,
) -> None:
    _abc_books(uow_factory)

    inventory.classify_products(uow_factory(), SYSTEM, None, dry_run=True)
    after = inventory.classify_products(uow_factory(), SYSTEM, None, dry_run=True)

    assert all(ln.previous is None for ln in after.lines)
    assert after.end == date.today()
    assert after.start == add_months(date.today(), -12) + timedelta(days=1)
    with pytest.raises(HansaError) as backwards:
        inventory.classify_products(
            uow_factory(), SYSTEM, None, start=COUNTED_ON, end=date(2026, 1, 1)
        )
    assert backwards.value.code == "inventory.bad_period"
