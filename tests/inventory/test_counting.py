"""Cycle counting: the ABC classification (a hand-computed case and its algebra), the
count schedule, and count sheets whose posting moves valued variances to the ledger."""

from __future__ import annotations

import doctest
import threading
from datetime import date, timedelta
from random import Random

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from hansa import audit, inventory
from hansa.db.uow import UnitOfWork
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
    failing_checks,
    inventory_balance,
    issue,
    receive,
)

COUNTED_ON = date(2026, 10, 30)  # in the past, so that the trial balance shows it


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


def _counted_books(uows: Uows) -> inventory.CountSheet:
    books(uows)
    inventory.add_location(uows(), SYSTEM, None, parent="WH/STOCK", code="A1")
    receive(uows, "10", "5.00", date=date(2026, 10, 2))
    receive(uows, "10", "7.00", date=date(2026, 10, 3), destination="WH/STOCK/A1")
    return inventory.create_count_sheet(uows(), SYSTEM, None, day=COUNTED_ON)


def test_a_count_sheet_lists_what_is_due_with_the_expected_quantity(uow_factory: Uows) -> None:
    sheet = _counted_books(uow_factory)

    assert (sheet.state.value, sheet.warehouse, sheet.count_date) == ("open", None, COUNTED_ON)
    assert [(ln.number, ln.sku, ln.location, ln.expected, ln.counted) for ln in sheet.lines] == [
        (1, "W1", "WH/STOCK", D(10), None),
        (2, "W1", "WH/STOCK/A1", D(10), None),
    ]
    with pytest.raises(HansaError) as busy:  # W1 is on an open sheet already
        inventory.create_count_sheet(uow_factory(), SYSTEM, None, day=COUNTED_ON)
    assert busy.value.code == "inventory.nothing_to_count"


def test_posting_a_count_moves_the_variances_at_their_value_into_the_ledger(
    uow_factory: Uows,
) -> None:
    sheet = _counted_books(uow_factory)
    counts = [(1, D(8)), (2, D(11))]  # 2 short at WH/STOCK, 1 found at A1

    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, counts)
    posted = inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    moves = {m.id: m for m in inventory.list_moves(uow_factory(readonly=True), SYSTEM, None)}
    loss, gain = (moves[ln.move_id] for ln in posted.lines if ln.move_id)
    assert (loss.source, loss.destination, loss.quantity, loss.value) == (
        "WH/STOCK",
        "ADJUSTMENT",
        D(2),
        D("10.00"),  # FIFO: the oldest layer, 2 x 5.00
    )
    # a gain comes in at the current average: 110.00 / 18 after the loss
    assert (gain.destination, gain.quantity, gain.value) == ("WH/STOCK/A1", D(1), D("6.11"))
    assert loss.date == COUNTED_ON
    assert loss.reason == f"count sheet {sheet.id} line 1"
    assert posted.state.value == "posted"
    assert [ln.variance for ln in posted.lines] == [-2, 1]
    assert inventory_balance(uow_factory) == D("116.11")  # 120.00 - 10.00 + 6.11
    assert failing_checks(uow_factory) == []


def test_a_posted_sheet_is_immutable_in_the_service_and_the_database(
    uow_factory: Uows, engine: Engine
) -> None:
    sheet = _counted_books(uow_factory)
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(10)), (2, D(10))])
    inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    for again in (inventory.post_count_sheet, inventory.cancel_count_sheet):
        with pytest.raises(HansaError) as refused:
            again(uow_factory(), SYSTEM, None, sheet.id)
        assert refused.value.code == "inventory.count_sheet_closed"
    with pytest.raises(HansaError) as late:
        inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(3))])
    assert late.value.code == "inventory.count_sheet_closed"
    for statement in (
        "UPDATE inventory_count_sheets SET state = 'open'",
        "UPDATE inventory_count_lines SET counted = 1",
        "DELETE FROM inventory_count_lines",
    ):
        with pytest.raises(sa.exc.DatabaseError, match="immutable"), engine.begin() as conn:
            conn.execute(sa.text(statement))


def test_the_next_sheet_respects_each_class_frequency(uow_factory: Uows) -> None:
    sheet = _counted_books(uow_factory)
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(10)), (2, D(10))])
    inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)  # no variance
    issue(uow_factory, "5", date=COUNTED_ON)
    # W1, the only product, is A
    inventory.classify_products(uow_factory(), SYSTEM, None, start=date(2026, 1, 1), end=COUNTED_ON)

    with pytest.raises(HansaError) as early:
        inventory.create_count_sheet(uow_factory(), SYSTEM, None, day=date(2026, 11, 29))
    monthly = inventory.create_count_sheet(uow_factory(), SYSTEM, None, day=date(2026, 11, 30))

    assert early.value.code == "inventory.nothing_to_count"
    assert [(ln.sku, ln.abc_class, ln.expected) for ln in monthly.lines] == [
        ("W1", "A", D(5)),
        ("W1", "A", D(10)),
    ]


def test_stock_moved_after_the_snapshot_keeps_its_move_and_gets_the_variance(
    uow_factory: Uows,
) -> None:
    sheet = _counted_books(uow_factory)
    issue(uow_factory, "3")  # after the snapshot of 10 at WH/STOCK: 7 left
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(9)), (2, D(10))])

    posted = inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    (line,) = inventory.on_hand(uow_factory(readonly=True), SYSTEM, None, "W1")[:1]
    assert (line.location, line.on_hand) == ("WH/STOCK", D(6))  # 7 + (9 - 10)
    assert [ln.variance for ln in posted.lines] == [-1, 0]


def test_a_variance_the_stock_left_since_cannot_cover_is_refused(uow_factory: Uows) -> None:
    sheet = _counted_books(uow_factory)
    issue(uow_factory, "9")  # 1 left at WH/STOCK
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(5)), (2, D(10))])

    with pytest.raises(HansaError) as refused:
        inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    assert refused.value.code == "inventory.count_moved"
    assert "line 1: W1 at WH/STOCK has 1 on hand now, 10 when the sheet was made" in str(
        refused.value
    )
    assert inventory.get_count_sheet(uow_factory(), SYSTEM, None, sheet.id).state.value == "open"


def test_a_sheet_with_uncounted_lines_or_unknown_lines_is_refused(uow_factory: Uows) -> None:
    sheet = _counted_books(uow_factory)
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(2, D(10))])

    with pytest.raises(HansaError) as incomplete:
        inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)
    with pytest.raises(HansaError) as unknown:
        inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(3, D(1))])

    assert (incomplete.value.code, incomplete.value.details) == (
        "inventory.count_incomplete",
        {"lines": [1]},
    )
    assert unknown.value.code == "inventory.bad_count_line"


def test_the_classes_and_last_counts_stored_on_the_products(uow_factory: Uows) -> None:
    sheet = _counted_books(uow_factory)
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(10)), (2, D(10))])
    inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)
    issue(uow_factory, "4", date=COUNTED_ON)
    inventory.classify_products(uow_factory(), SYSTEM, None, start=COUNTED_ON, end=COUNTED_ON)

    (w1,) = inventory.list_classes(uow_factory(readonly=True), SYSTEM, None)

    assert (w1.sku, w1.abc_class, w1.consumption_value, w1.last_counted) == (
        "W1",
        AbcClass.A,
        D("20.00"),
        COUNTED_ON,
    )
    assert (w1.classified_on, w1.purchase_unit) == (date.today(), None)


def test_a_sheet_for_one_warehouse_and_cancelling_it(uow_factory: Uows) -> None:
    books(uow_factory)
    inventory.add_warehouse(uow_factory(), SYSTEM, None, code="EAST", name="East")
    receive(uow_factory, "4", "5.00", destination="EAST/STOCK")
    receive(uow_factory, "6", "5.00")

    east = inventory.create_count_sheet(uow_factory(), SYSTEM, None, warehouse="EAST")
    cancelled = inventory.cancel_count_sheet(uow_factory(), SYSTEM, None, east.id)
    open_ = inventory.list_count_sheets(uow_factory(readonly=True), SYSTEM, None, state="open")

    assert [(ln.location, ln.expected) for ln in east.lines] == [("EAST/STOCK", D(4))]
    assert (cancelled.state.value, open_) == ("cancelled", [])
    with pytest.raises(HansaError) as unknown:
        inventory.create_count_sheet(uow_factory(), SYSTEM, None, warehouse="WEST")
    assert unknown.value.code == "inventory.warehouse_not_found"


def test_two_sessions_making_sheets_at_once_do_not_both_list_a_product(
    uow_factory: Uows, engine: Engine
) -> None:
    """Real threads on two real connections: the second session waits for the first
    (the warehouse rows are locked) and then finds everything on an open sheet."""
    books(uow_factory)
    receive(uow_factory, "5", "5.00")
    start = threading.Barrier(2)
    results: list[object] = []

    def make() -> None:
        uow = UnitOfWork(engine)
        start.wait()
        try:
            results.append(inventory.create_count_sheet(uow, SYSTEM, None))
        except HansaError as exc:
            results.append(exc)

    threads = [threading.Thread(target=make) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    sheets = [r for r in results if isinstance(r, inventory.CountSheet)]
    refusals = [r for r in results if isinstance(r, HansaError)]
    assert len(sheets) == 1
    assert [r.code for r in refusals] == ["inventory.nothing_to_count"]


def test_the_check_finds_a_posted_count_whose_variance_did_not_move(
    uow_factory: Uows, engine: Engine, backend: str
) -> None:
    sheet = _counted_books(uow_factory)
    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(8)), (2, D(10))])
    inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    with engine.begin() as conn:  # tampering, past the immutability trigger
        if backend == "sqlite":
            conn.execute(sa.text("DROP TRIGGER inventory_count_lines_immutable_update"))
        else:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        seven = 7_000_000  # exact columns hold scaled integers (6 decimals)
        conn.execute(
            sa.text(f"UPDATE inventory_count_lines SET counted = {seven} WHERE number = 1")
        )

    assert failing_checks(uow_factory) == [
        "inventory.count_sheets_moved: ['count sheet 1 line 1: a variance of -3 has no done "
        "adjustment of 3 at its location']"
    ]


def test_lots_are_counted_each_on_its_line_an_expired_one_too(uow_factory: Uows) -> None:
    books(uow_factory)
    inventory.add_product(
        uow_factory(), SYSTEM, None, sku="MILK", name="Milk", price=D(2), cost=D(1), tracking="lot"
    )
    for lot, expiry in (("OLD", date(2026, 10, 1)), ("NEW", date(2027, 1, 1))):
        receive(uow_factory, "4", "1.00", sku="MILK", lot=lot, expiry=expiry, date=date(2026, 9, 1))
    sheet = inventory.create_count_sheet(uow_factory(), SYSTEM, None, day=COUNTED_ON)

    inventory.enter_counts(uow_factory(), SYSTEM, None, sheet.id, [(1, D(5)), (2, D(1))])
    posted = inventory.post_count_sheet(uow_factory(), SYSTEM, None, sheet.id)

    assert [(ln.sku, ln.lot, ln.variance) for ln in posted.lines] == [
        ("MILK", "NEW", D(1)),
        ("MILK", "OLD", D(-3)),  # expired: written off by the count all the same
    ]
    stock = inventory.on_hand(uow_factory(readonly=True), SYSTEM, None, "MILK")
    assert [(s.lot, s.on_hand) for s in stock] == [("NEW", D(5)), ("OLD", D(1))]
    assert failing_checks(uow_factory) == []
