"""Batches of stock moves (``move_stock_many``): one transaction, all or nothing, the
same stock, valuation and ledger balances as the same moves made one by one."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from hansa import audit, events, inventory, ledger
from hansa.db.uow import UnitOfWork
from hansa.inventory.errors import InsufficientStock, ProductNotFound
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import HansaError
from tests.inventory.support import D, Uows, company, failing_checks

DAY = date(2026, 6, 1)


def _books(uows: Uows, code: str) -> str:
    """Company *code* with a FIFO product W1, an average-cost product A1 and a shelf."""
    company(uows, code=code)
    inventory.add_category(uows(), SYSTEM, code, code="AVG", name="Average", valuation="average")
    for sku, category in (("W1", None), ("A1", "AVG")):
        inventory.add_product(
            uows(), SYSTEM, code, sku=sku, name=sku, price=D(10), cost=D(5), category_code=category
        )
    inventory.add_location(uows(), SYSTEM, code, parent="WH/STOCK", code="SHELF")
    return code


def _requests() -> list[inventory.MoveRequest]:
    move = inventory.MoveRequest
    return [
        move("receipt", "W1", D(10), unit_cost=D(5), date=DAY),
        move("receipt", "W1", D(10), unit_cost=D(7), date=DAY),
        move("receipt", "A1", D(10), unit_cost=D(5), date=DAY),
        move("receipt", "A1", D(10), unit_cost=D(7), date=DAY),
        move("issue", "W1", D(15), date=DAY),
        move("issue", "A1", D(15), date=DAY),
        move("transfer", "W1", D(3), source="WH/STOCK", destination="WH/STOCK/SHELF", date=DAY),
        move("scrap", "W1", D(1), source="WH/STOCK/SHELF", date=DAY),
        move("adjustment", "A1", D(2), unit_cost=D(6), date=DAY, reason="found"),
    ]


def _state(uows: Uows, code: str) -> tuple[object, ...]:
    stock = [
        (ln.sku, ln.location, ln.on_hand, ln.reserved)
        for ln in inventory.on_hand(uows(readonly=True), SYSTEM, code)
    ]
    report = inventory.valuation(uows(readonly=True), SYSTEM, code)
    values = [(ln.sku, ln.quantity, ln.value) for ln in report.lines]
    balances = [
        (r.account, r.balance) for r in ledger.trial_balance(uows(readonly=True), SYSTEM, code, DAY)
    ]
    return stock, values, report.accounts, balances


def test_a_batch_leaves_the_same_stock_valuation_and_ledger_as_moves_one_by_one(
    uow_factory: Uows,
) -> None:
    one, many = _books(uow_factory, "ONE"), _books(uow_factory, "MANY")
    singles = [inventory.move_stock(uow_factory(), SYSTEM, one, r) for r in _requests()]

    batch = inventory.move_stock_many(uow_factory(), SYSTEM, many, _requests())

    assert _state(uow_factory, many) == _state(uow_factory, one)
    assert [m.value for m in batch] == [m.value for m in singles]
    assert batch[4].value == D("85.00")
    assert batch[5].value == D("90.00")
    assert failing_checks(uow_factory) == []


def test_the_moves_returned_are_the_moves_stored(uow_factory: Uows) -> None:
    code = _books(uow_factory, "ACME")
    single = inventory.move_stock(uow_factory(), SYSTEM, code, _requests()[0])
    batch = inventory.move_stock_many(uow_factory(), SYSTEM, code, _requests()[1:])

    for move in [single, *batch]:
        assert inventory.get_move(uow_factory(readonly=True), SYSTEM, code, move.id) == move


def test_a_batch_posts_one_entry_with_each_moves_lines_one_audit_record_and_one_event(
    uow_factory: Uows,
) -> None:
    code = _books(uow_factory, "ACME")

    moves = inventory.move_stock_many(uow_factory(), SYSTEM, code, _requests())

    valued = [m for m in moves if m.kind is not inventory.MoveKind.transfer]
    assert {m.entry_id for m in valued} == {valued[0].entry_id}
    entry_id = valued[0].entry_id
    assert entry_id is not None
    entry = ledger.get_entry(uow_factory(readonly=True), SYSTEM, code, entry_id)
    assert entry.journal == "STK"
    assert sum((ln.amount for ln in entry.lines), D(0)) == 0
    described = {ln.description for ln in entry.lines}
    assert described == {f"move {m.id}" for m in valued}
    records = audit.list_records(uow_factory(readonly=True), SYSTEM, limit=5)
    assert [r.action for r in records[:2]] == ["inventory.move.batch", "ledger.entry.post"]
    listed = json.loads(records[0].after or "{}")["moves"]
    assert [(x["id"], x["sku"], x["from"], x["to"]) for x in listed] == [
        (m.id, m.product, m.source, m.destination) for m in moves
    ]
    outbox = events.list_events(uow_factory(readonly=True), SYSTEM, limit=5)
    done = [o.event for o in outbox if o.event.topic == "inventory.moves_done"]
    assert len(done) == 1
    assert done[0].payload["move_ids"] == [m.id for m in moves]


def test_a_refused_move_stores_nothing_of_its_batch_and_is_named(uow_factory: Uows) -> None:
    code = _books(uow_factory, "ACME")
    requests = [
        inventory.MoveRequest("receipt", "W1", D(5), unit_cost=D(5), date=DAY),
        inventory.MoveRequest("issue", "A1", D(1), date=DAY),
        inventory.MoveRequest("issue", "W1", D(9), date=DAY),
    ]

    with pytest.raises(InsufficientStock) as refused:
        inventory.move_stock_many(uow_factory(), SYSTEM, code, requests)

    assert refused.value.message.startswith("move 2 (A1): insufficient stock")
    assert refused.value.details["index"] == 2
    assert refused.value.details["sku"] == "A1"
    assert inventory.list_moves(uow_factory(readonly=True), SYSTEM, code) == []
    assert inventory.on_hand(uow_factory(readonly=True), SYSTEM, code) == []
    assert ledger.trial_balance(uow_factory(readonly=True), SYSTEM, code, DAY) == []


def test_an_unknown_product_in_a_batch_is_named_by_its_place(uow_factory: Uows) -> None:
    code = _books(uow_factory, "ACME")
    requests = [
        inventory.MoveRequest("receipt", "W1", D(5), unit_cost=D(5)),
        inventory.MoveRequest("receipt", "NOPE", D(5), unit_cost=D(5)),
    ]

    with pytest.raises(ProductNotFound) as refused:
        inventory.move_stock_many(uow_factory(), SYSTEM, code, requests)

    assert refused.value.message == "move 2 (NOPE): there is no product 'NOPE'"
    assert inventory.list_moves(uow_factory(readonly=True), SYSTEM, code) == []


def test_a_batch_in_chunks_is_still_one_transaction_and_reports_its_progress(
    uow_factory: Uows,
) -> None:
    code = _books(uow_factory, "ACME")
    too_many = inventory.MoveRequest("issue", "W1", D(100), date=DAY)

    with pytest.raises(InsufficientStock, match=r"^move 10 \(W1\): insufficient stock"):
        inventory.move_stock_many(uow_factory(), SYSTEM, code, [*_requests(), too_many], chunk=4)
    assert inventory.list_moves(uow_factory(readonly=True), SYSTEM, code) == []

    heard: list[int] = []
    moves = inventory.move_stock_many(
        uow_factory(), SYSTEM, code, _requests(), chunk=4, progress=heard.append
    )

    assert heard == [4, 8, 9]
    assert len({m.entry_id for m in moves if m.entry_id}) == 3  # one per chunk
    records = audit.list_records(uow_factory(readonly=True), SYSTEM, action="inventory.move.batch")
    assert len(records) == 3
    assert failing_checks(uow_factory) == []


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_concurrent_batches_issuing_the_last_units_exactly_one_succeeds(
    uow_factory: Uows, engine: Engine
) -> None:
    """Real threads on two connections: a batch locks its balance and valuation rows
    FOR UPDATE up front, so the second waits for the first and then finds no stock."""
    code = _books(uow_factory, "ACME")
    receipts = [inventory.MoveRequest("receipt", sku, D(5), unit_cost=D(5)) for sku in ("W1", "A1")]
    inventory.move_stock_many(uow_factory(), SYSTEM, code, receipts)
    issues = [inventory.MoveRequest("issue", sku, D(5)) for sku in ("A1", "W1")]
    start = threading.Barrier(2)
    results: list[object] = []

    def issue_all() -> None:
        uow = UnitOfWork(engine)
        start.wait()
        try:
            results.append(inventory.move_stock_many(uow, SYSTEM, code, issues))
        except HansaError as exc:
            results.append(exc)

    threads = [threading.Thread(target=issue_all) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    refusals = [r for r in results if isinstance(r, HansaError)]
    assert len([r for r in results if isinstance(r, list)]) == 1
    assert [r.code for r in refusals] == ["inventory.insufficient_stock"]
    assert inventory.on_hand(uow_factory(readonly=True), SYSTEM, code) == []
    assert failing_checks(uow_factory) == []


def test_a_serial_number_moved_twice_in_a_batch_follows_the_single_move_rules(
    uow_factory: Uows,
) -> None:
    code = _books(uow_factory, "ACME")
    inventory.add_product(
        uow_factory(),
        SYSTEM,
        code,
        sku="CAM",
        name="Camera",
        price=D(300),
        cost=D(200),
        tracking="serial",
    )
    move = inventory.MoveRequest
    twice = [move("receipt", "CAM", D(1), lot="S1"), move("receipt", "CAM", D(1), lot="S1")]
    back = [
        move("receipt", "CAM", D(1), lot="S2", unit_cost=D(200)),
        move("issue", "CAM", D(1), lot="S2"),
        move("receipt", "CAM", D(1), lot="S2", unit_cost=D(210)),
    ]

    with pytest.raises(HansaError, match=r"^move 2 \(CAM\): serial number S1 of CAM is in stock"):
        inventory.move_stock_many(uow_factory(), SYSTEM, code, twice)
    done = inventory.move_stock_many(uow_factory(), SYSTEM, code, back)

    assert [m.value for m in done] == [D("200.00"), D("200.00"), D("210.00")]
    (line,) = inventory.on_hand(uow_factory(readonly=True), SYSTEM, code, "CAM")
    assert (line.lot, line.on_hand) == ("S2", D(1))
    assert failing_checks(uow_factory) == []
