"""Cycle counting: count sheets, whose posting moves valued variances to the ledger (the
ABC classification that schedules them is in test_abc.py)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa import inventory
from hansa.db.uow import UnitOfWork
from hansa.inventory.domain.abc import AbcClass
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
