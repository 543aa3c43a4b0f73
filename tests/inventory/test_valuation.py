"""Valuation: the acceptance example under FIFO and moving average, the ledger and the
valuation report after every step, counter-moves, and the checks."""

from __future__ import annotations

import pytest

from hansa import inventory
from hansa.kernel.actor import SYSTEM
from tests.inventory.support import (
    D,
    Uows,
    books,
    failing_checks,
    inventory_balance,
    issue,
    receive,
)


def _ties(uows: Uows) -> bool:
    report = inventory.valuation(uows(readonly=True), SYSTEM, None)
    return report.ties and report.accounts["1200"][1] == inventory_balance(uows)


@pytest.mark.parametrize(
    ("method", "issued", "left"), [("fifo", "85.00", "35.00"), ("average", "90.00", "30.00")]
)
def test_issuing_15_of_10_at_5_and_10_at_7_is_valued_by_the_category_method(
    uow_factory: Uows, method: str, issued: str, left: str
) -> None:
    books(uow_factory, method)

    receive(uow_factory, "10", "5.00")
    assert inventory_balance(uow_factory) == D("50.00")
    assert _ties(uow_factory)
    receive(uow_factory, "10", "7.00")
    assert inventory_balance(uow_factory) == D("120.00")
    assert _ties(uow_factory)
    move = issue(uow_factory, "15")

    assert move.value == D(issued)
    assert inventory_balance(uow_factory) == D(left)
    assert inventory_balance(uow_factory, "5000") == D(issued)
    assert inventory_balance(uow_factory, "2050") == D("-120.00")
    assert _ties(uow_factory)
    assert failing_checks(uow_factory) == []


def test_a_transfer_moves_stock_between_locations_without_touching_the_books(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.add_location(uow_factory(), SYSTEM, None, parent="WH/STOCK", code="A1")
    receive(uow_factory, "10", "5.00")

    move = inventory.move_stock(
        uow_factory(),
        SYSTEM,
        None,
        inventory.MoveRequest("transfer", "W1", D(4), source="WH/STOCK", destination="WH/STOCK/A1"),
    )

    assert move.value is None
    assert move.entry_id is None
    stock = {(s.location, s.on_hand) for s in inventory.on_hand(uow_factory(), SYSTEM, None, "W1")}
    assert stock == {("WH/STOCK", D(6)), ("WH/STOCK/A1", D(4))}
    assert inventory_balance(uow_factory) == D("50.00")
    assert failing_checks(uow_factory) == []


def test_a_counter_move_of_an_issue_brings_the_goods_back_at_the_value_they_left_at(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    receive(uow_factory, "10", "5.00")
    receive(uow_factory, "10", "7.00")
    sold = issue(uow_factory, "15")

    back = inventory.counter_move(uow_factory(), SYSTEM, None, sold.id, reason="customer return")

    assert (back.counter_of, back.value, back.source, back.destination) == (
        sold.id,
        D("85.00"),
        "CUSTOMER",
        "WH/STOCK",
    )
    assert inventory_balance(uow_factory) == D("120.00")
    assert inventory_balance(uow_factory, "5000") == D("0.00")
    assert failing_checks(uow_factory) == []


def test_a_counter_move_of_a_partly_issued_receipt_sends_the_difference_to_adjustments(
    uow_factory: Uows,
) -> None:
    books(uow_factory, "average")
    first = receive(uow_factory, "10", "5.00")
    receive(uow_factory, "10", "7.00")

    inventory.counter_move(uow_factory(), SYSTEM, None, first.id, reason="wrong delivery")

    assert inventory_balance(uow_factory, "2050") == D("-70.00")  # the first receipt undone
    assert inventory_balance(uow_factory) == D("60.00")  # 10 left at the 6.00 average
    assert inventory_balance(uow_factory, "5100") == D("10.00")
    assert failing_checks(uow_factory) == []


def test_scrap_and_count_post_to_their_accounts(uow_factory: Uows) -> None:
    books(uow_factory)
    receive(uow_factory, "10", "5.00")

    inventory.move_stock(uow_factory(), SYSTEM, None, inventory.MoveRequest("scrap", "W1", D(2)))
    counted = inventory.count_stock(uow_factory(), SYSTEM, None, "W1", D(7))

    assert counted is not None
    assert counted.value == D("5.00")
    assert (counted.source, counted.destination) == ("WH/STOCK", "ADJUSTMENT")
    assert inventory_balance(uow_factory, "5200") == D("10.00")
    assert inventory_balance(uow_factory, "5100") == D("5.00")
    assert inventory_balance(uow_factory) == D("35.00")
    assert inventory.count_stock(uow_factory(), SYSTEM, None, "W1", D(7)) is None
    assert failing_checks(uow_factory) == []


@pytest.mark.parametrize("method", ["fifo", "average"])
def test_revaluing_stock_posts_the_difference_to_adjustments(
    uow_factory: Uows, method: str
) -> None:
    books(uow_factory, method)
    receive(uow_factory, "10", "5.00")
    receive(uow_factory, "10", "7.00")

    done = inventory.revalue_stock(
        uow_factory(), SYSTEM, None, "W1", D("4.50"), reason="write-down"
    )

    assert (done.before, done.after, done.difference) == (D("120.00"), D("90.00"), D("-30.00"))
    assert inventory_balance(uow_factory) == D("90.00")
    assert inventory_balance(uow_factory, "5100") == D("30.00")
    assert issue(uow_factory, "15").value == D("67.50")
    assert failing_checks(uow_factory) == []


def test_the_valuation_splits_each_product_over_its_warehouses_to_the_cent(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.add_warehouse(uow_factory(), SYSTEM, None, code="WH2", name="Second")
    receive(uow_factory, "3", "3.33")
    receive(uow_factory, "3", "3.34", destination="WH2/STOCK")

    report = inventory.valuation(uow_factory(readonly=True), SYSTEM, None)

    assert [(w.sku, w.warehouse, w.quantity, w.value) for w in report.warehouses] == [
        ("W1", "WH", D(3), D("10.01")),
        ("W1", "WH2", D(3), D("10.00")),
    ]  # 20.01 split by quantity, the odd cent to the first
    assert sum(w.value for w in report.warehouses) == report.accounts["1200"][1] == D("20.01")
