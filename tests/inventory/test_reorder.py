"""Replenishment: the proposal's algebra, and proposals per warehouse from on hand,
reserved and incoming receipts within the lead time, in whole purchase units."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansa import inventory
from hansa.inventory.domain import replenishment as replenishment_domain
from hansa.inventory.domain.replenishment import reorder_proposal
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import HansaError
from tests.inventory.support import D, Uows, books, receive

quantities = st.decimals(min_value=-50, max_value=500, places=2)
limits = st.tuples(
    st.decimals(min_value=0, max_value=200, places=2),
    st.decimals(min_value=0, max_value=300, places=2) | st.none(),
)
packs = st.integers(min_value=1, max_value=48).map(D) | st.none()


def test_the_replenishment_examples_hold() -> None:
    assert doctest.testmod(replenishment_domain).failed == 0


@given(quantities, limits, packs)
def test_a_proposal_brings_projected_stock_over_the_minimum_and_at_most_a_pack_over_the_max(
    projected: D, bounds: tuple[D, D | None], pack: D | None
) -> None:
    minimum, maximum = bounds
    quantity = reorder_proposal(projected, minimum=minimum, maximum=maximum, pack=pack)

    if projected >= minimum:
        assert quantity == 0
    else:
        ceiling = max(maximum, minimum) if maximum is not None else minimum
        assert projected + quantity >= minimum
        assert projected + quantity < ceiling + (pack or D("0.000001"))
        if pack is not None:
            assert quantity % pack == 0


def _rule(uows: Uows, *, lead_time: int = 5) -> None:
    books(uows)
    inventory.update_product(
        uows(), SYSTEM, None, "W1", reorder_min=D(10), reorder_max=D(30), lead_time_days=lead_time
    )


def _ordered(uows: Uows, quantity: str, day: date, to: str | None = None) -> None:
    request = inventory.MoveRequest(
        "receipt", "W1", D(quantity), unit_cost=D(5), date=day, destination=to
    )
    inventory.move_stock(uows(), SYSTEM, None, request, done=False)


def test_a_receipt_due_after_the_lead_time_does_not_count_as_incoming(uow_factory: Uows) -> None:
    _rule(uow_factory)
    receive(uow_factory, "6", "5.00")
    today = date.today()
    _ordered(uow_factory, "2", today + timedelta(days=5))  # arrives in time: counts
    _ordered(uow_factory, "50", today + timedelta(days=6))  # too late to help

    (line,) = inventory.reorder(uow_factory(readonly=True), SYSTEM, None)

    assert (line.on_hand, line.incoming, line.projected, line.quantity) == (
        D(6),
        D(2),
        D(8),
        D(22),
    )
    assert line.arrives == today + timedelta(days=5)


def test_a_proposal_is_in_whole_purchase_units(uow_factory: Uows) -> None:
    _rule(uow_factory)
    inventory.add_unit(uow_factory(), SYSTEM, None, "W1", "box", D(12))
    inventory.set_purchase_unit(uow_factory(), SYSTEM, None, "W1", "box")
    receive(uow_factory, "9", "5.00")

    (line,) = inventory.reorder(uow_factory(readonly=True), SYSTEM, None)

    # 21 up to the maximum of 30, rounded up to two boxes: 24, projected 33
    assert (line.purchase_unit, line.pack, line.quantity, line.packs) == ("box", D(12), D(24), D(2))


def test_each_warehouse_is_replenished_on_its_own(uow_factory: Uows) -> None:
    _rule(uow_factory)
    inventory.add_warehouse(uow_factory(), SYSTEM, None, code="EAST", name="East")
    receive(uow_factory, "25", "5.00")  # WH: over the minimum
    receive(uow_factory, "3", "5.00", destination="EAST/STOCK")
    _ordered(uow_factory, "4", date.today(), to="EAST/STOCK")

    everywhere = inventory.reorder(uow_factory(readonly=True), SYSTEM, None)
    east = inventory.reorder(uow_factory(readonly=True), SYSTEM, None, warehouse="EAST")
    main = inventory.reorder(uow_factory(readonly=True), SYSTEM, None, warehouse="WH")

    assert everywhere == []  # 28 on hand + 4 incoming together
    assert [(ln.warehouse, ln.on_hand, ln.incoming, ln.quantity) for ln in east] == [
        ("EAST", D(3), D(4), D(23))
    ]
    assert main == []


def test_an_unknown_purchase_unit_or_warehouse_is_refused(uow_factory: Uows) -> None:
    _rule(uow_factory)

    with pytest.raises(HansaError) as unit:
        inventory.set_purchase_unit(uow_factory(), SYSTEM, None, "W1", "pallet")
    with pytest.raises(HansaError) as warehouse:
        inventory.reorder(uow_factory(readonly=True), SYSTEM, None, warehouse="WEST")

    assert unit.value.code == "inventory.unknown_unit"
    assert warehouse.value.code == "inventory.warehouse_not_found"
