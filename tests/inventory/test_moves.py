"""Stock moves: negative stock, reservations (also under real concurrency on
PostgreSQL), drafts, cancellation, counter-moves and the immutability of done moves."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa import audit, inventory
from hansa.db.uow import UnitOfWork
from hansa.inventory.errors import InsufficientStock
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


def _draft_issue(uows: Uows, quantity: str) -> inventory.Move:
    request = inventory.MoveRequest("issue", "W1", D(quantity))
    return inventory.move_stock(uows(), SYSTEM, None, request, done=False)


def _available(uows: Uows) -> tuple[D, D]:
    (line,) = inventory.on_hand(uows(readonly=True), SYSTEM, None, "W1")
    return line.on_hand, line.available


def test_issuing_more_than_on_hand_is_refused_with_the_quantities(uow_factory: Uows) -> None:
    books(uow_factory)
    receive(uow_factory, "3", "5.00")

    with pytest.raises(InsufficientStock) as refused:
        issue(uow_factory, "5")

    assert refused.value.code == "inventory.insufficient_stock"
    assert (
        "W1 at WH/STOCK has 3 available (3 on hand, 0 reserved), 5 asked" in refused.value.message
    )
    assert _available(uow_factory) == (D(3), D(3))
    assert inventory_balance(uow_factory) == D("15.00")


def test_a_product_that_allows_negative_stock_goes_below_zero_and_settles_on_receipt(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.update_product(uow_factory(), SYSTEM, None, "W1", allow_negative=True)

    short = issue(uow_factory, "2")  # valued at the catalog cost, 5.00
    receive(uow_factory, "5", "6.00")

    assert short.value == D("10.00")
    assert _available(uow_factory) == (D(3), D(3))
    assert inventory_balance(uow_factory) == D("18.00")  # 3 at the receipt's 6.00
    assert inventory_balance(uow_factory, "5100") == D("2.00")  # the 2 cost 1.00 more
    assert failing_checks(uow_factory) == []


def test_a_draft_issue_reserves_and_completing_it_takes_the_stock(uow_factory: Uows) -> None:
    books(uow_factory)
    receive(uow_factory, "5", "5.00")

    draft = _draft_issue(uow_factory, "4")
    assert (draft.state, draft.reserved, draft.value) == (inventory.MoveState.draft, True, None)
    assert _available(uow_factory) == (D(5), D(1))
    with pytest.raises(InsufficientStock):
        _draft_issue(uow_factory, "2")

    done = inventory.complete_move(uow_factory(), SYSTEM, None, draft.id)

    assert (done.state, done.value) == (inventory.MoveState.done, D("20.00"))
    assert _available(uow_factory) == (D(1), D(1))
    assert failing_checks(uow_factory) == []


def test_cancelling_a_draft_releases_its_reservation(uow_factory: Uows) -> None:
    books(uow_factory)
    receive(uow_factory, "5", "5.00")
    draft = _draft_issue(uow_factory, "5")

    cancelled = inventory.cancel_move(uow_factory(), SYSTEM, None, draft.id)

    assert cancelled.state is inventory.MoveState.cancelled
    assert _available(uow_factory) == (D(5), D(5))
    with pytest.raises(HansaError, match="only a draft can be cancelled"):
        inventory.cancel_move(uow_factory(), SYSTEM, None, draft.id)


def test_a_done_move_cannot_be_cancelled_and_has_at_most_one_counter_move(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    received = receive(uow_factory, "5", "5.00")

    with pytest.raises(HansaError, match="correct a done move with"):
        inventory.cancel_move(uow_factory(), SYSTEM, None, received.id)
    inventory.counter_move(uow_factory(), SYSTEM, None, received.id, reason="wrong delivery")
    with pytest.raises(HansaError, match="already has a counter-move"):
        inventory.counter_move(uow_factory(), SYSTEM, None, received.id, reason="again")
    assert inventory_balance(uow_factory) == D("0.00")


def test_the_database_refuses_to_change_or_delete_a_done_move(
    uow_factory: Uows, engine: Engine
) -> None:
    books(uow_factory)
    received = receive(uow_factory, "5", "5.00")

    for statement in (
        f"UPDATE inventory_moves SET quantity = 1 WHERE id = {received.id}",
        f"DELETE FROM inventory_moves WHERE id = {received.id}",
    ):
        with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match="immutable"):
            conn.execute(sa.text(statement))
    assert inventory.get_move(uow_factory(), SYSTEM, None, received.id).quantity == D(5)


def test_two_sessions_reserving_the_last_5_units_one_after_the_other(uow_factory: Uows) -> None:
    books(uow_factory)
    receive(uow_factory, "5", "5.00")

    _draft_issue(uow_factory, "5")
    with pytest.raises(InsufficientStock, match="0 available"):
        _draft_issue(uow_factory, "5")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_concurrent_sessions_reserving_the_last_5_units_exactly_one_succeeds(
    uow_factory: Uows, engine: Engine
) -> None:
    """Real threads on two real connections: the balance row is locked FOR UPDATE, so
    the second session waits for the first and then sees the units reserved."""
    books(uow_factory)
    receive(uow_factory, "5", "5.00")
    start = threading.Barrier(2)
    results: list[object] = []

    def reserve() -> None:
        uow = UnitOfWork(engine)
        start.wait()
        try:
            results.append(_draft_issue(lambda: uow, "5"))
        except HansaError as exc:
            results.append(exc)

    threads = [threading.Thread(target=reserve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    moves = [r for r in results if isinstance(r, inventory.Move)]
    refusals = [r for r in results if isinstance(r, HansaError)]
    assert len(moves) == 1
    assert [r.code for r in refusals] == ["inventory.insufficient_stock"]
    assert _available(uow_factory) == (D(5), D(0))


def test_expired_lots_are_blocked_unless_a_reason_is_given_and_picking_is_fefo(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.add_product(
        uow_factory(),
        SYSTEM,
        None,
        sku="MILK",
        name="Milk",
        price=D(2),
        cost=D(1),
        tracking="lot",
        shelf_life_days=10,
    )
    today = date.today()
    for lot, expiry in (
        ("OLD", today - timedelta(days=1)),
        ("SOON", today + timedelta(days=5)),
        ("LATER", today + timedelta(days=40)),
    ):
        receive(uow_factory, "4", "1.00", sku="MILK", lot=lot, expiry=expiry)

    picks = inventory.pick(uow_factory(readonly=True), SYSTEM, None, "MILK", D(6))
    assert [(p.lot, p.quantity) for p in picks] == [("SOON", D(4)), ("LATER", D(2))]
    with pytest.raises(HansaError, match="first expired first out: SOON at WH/STOCK"):
        issue(uow_factory, "1", sku="MILK")
    with pytest.raises(HansaError, match="expired on") as refused:
        issue(uow_factory, "1", sku="MILK", lot="OLD")
    assert refused.value.code == "inventory.expired_lot"

    issue(uow_factory, "4", sku="MILK", lot="OLD", reason="sold to the animal feed plant")

    soon = inventory.expiring(uow_factory(readonly=True), SYSTEM, None, within_days=30)
    assert [(lot.code, qty) for lot, qty in soon] == [("SOON", D(4))]
    assert failing_checks(uow_factory) == []


def test_a_receipt_in_boxes_counts_base_units(uow_factory: Uows) -> None:
    books(uow_factory)
    inventory.add_unit(uow_factory(), SYSTEM, None, "W1", "box", D(12))

    move = receive(uow_factory, "2", "0.50", unit="box")

    assert (move.quantity, move.value) == (D(24), D("12.00"))


def test_reorder_proposes_up_to_the_maximum_counting_incoming_and_reserved(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.update_product(
        uow_factory(), SYSTEM, None, "W1", reorder_min=D(10), reorder_max=D(30), lead_time_days=5
    )
    receive(uow_factory, "12", "5.00")
    _draft_issue(uow_factory, "7")  # reserves 7
    request = inventory.MoveRequest("receipt", "W1", D(4), unit_cost=D(5))
    inventory.move_stock(uow_factory(), SYSTEM, None, request, done=False)  # 4 incoming: 9 < 10

    (line,) = inventory.reorder(uow_factory(readonly=True), SYSTEM, None)

    assert (line.sku, line.on_hand, line.incoming, line.reserved, line.quantity) == (
        "W1",
        D(12),
        D(4),
        D(7),
        D(21),
    )
    assert (line.arrives - date.today()).days == 5


def test_a_done_move_is_audited_with_its_ledger_entry_and_an_override_keeps_its_reason(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    inventory.add_product(
        uow_factory(),
        SYSTEM,
        None,
        sku="MILK",
        name="Milk",
        price=D(2),
        cost=D(1),
        tracking="lot",
    )
    yesterday = date.today() - timedelta(days=1)
    receive(uow_factory, "2", "1.00", sku="MILK", lot="OLD", expiry=yesterday)
    issue(uow_factory, "2", sku="MILK", lot="OLD", reason="sold for animal feed")

    records = audit.list_records(uow_factory(readonly=True), SYSTEM, limit=20)
    actions = [r.action for r in records]
    assert actions[:4] == [
        "inventory.move.done",
        "ledger.entry.post",
        "inventory.move.done",
        "ledger.entry.post",
    ]
    assert "sold for animal feed" in (records[0].after or "")
    assert audit.verify(uow_factory(readonly=True), SYSTEM).ok
